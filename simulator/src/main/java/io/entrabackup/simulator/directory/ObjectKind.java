package io.entrabackup.simulator.directory;

/** The directory object types the simulator models, with Graph's type names. */
public enum ObjectKind {
  USER(1, "#microsoft.graph.user", "user"),
  GROUP(2, "#microsoft.graph.group", "group"),
  DIRECTORY_ROLE(3, "#microsoft.graph.directoryRole", "directoryRole"),
  ROLE_DEFINITION(4, "#microsoft.graph.unifiedRoleDefinition", "unifiedRoleDefinition"),
  ADMINISTRATIVE_UNIT(5, "#microsoft.graph.administrativeUnit", "administrativeUnit"),
  ORGANIZATION(6, "#microsoft.graph.organization", "organization");

  private final int tag;
  private final String odataType;
  private final String typeName;

  ObjectKind(int tag, String odataType, String typeName) {
    this.tag = tag;
    this.odataType = odataType;
    this.typeName = typeName;
  }

  public int tag() {
    return tag;
  }

  public String odataType() {
    return odataType;
  }

  public String typeName() {
    return typeName;
  }

  public static ObjectKind fromTag(int tag) {
    for (ObjectKind k : values()) {
      if (k.tag == tag) {
        return k;
      }
    }
    return null;
  }
}
