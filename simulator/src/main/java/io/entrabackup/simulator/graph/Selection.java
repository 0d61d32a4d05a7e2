package io.entrabackup.simulator.graph;

import io.entrabackup.simulator.directory.GroupSchema;
import io.entrabackup.simulator.directory.UserSchema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a request selected: the properties to return and the relations (members, owners) to include. Without
 * {@code $select} it is the type's default set. Unknown names are refused as Graph refuses them; names delta cannot
 * track answer 501 on delta.
 */
public record Selection(List<String> properties, Set<String> relations, String raw) {

  /** The collections Graph delta serves, with their schemas. */
  public enum Collection {
    USERS("users", "microsoft.graph.user", UserSchema.ALL, UserSchema.DEFAULT, UserSchema.NOT_TRACKED_BY_DELTA,
        Set.of("manager")),
    GROUPS("groups", "microsoft.graph.group", GroupSchema.ALL, GroupSchema.DEFAULT, GroupSchema.NOT_TRACKED_BY_DELTA,
        GroupSchema.RELATIONS),
    DIRECTORY_ROLES("directoryRoles", "microsoft.graph.directoryRole",
        List.of("id", "deletedDateTime", "description", "displayName", "roleTemplateId"),
        List.of("id", "deletedDateTime", "description", "displayName", "roleTemplateId"), Set.of(), Set.of("members"));

    final String path;
    final String typeName;
    final List<String> all;
    final List<String> defaults;
    final Set<String> untracked;
    final Set<String> relations;

    Collection(String path, String typeName, List<String> all, List<String> defaults, Set<String> untracked, Set<String> relations) {
      this.path = path;
      this.typeName = typeName;
      this.all = all;
      this.defaults = defaults;
      this.untracked = untracked;
      this.relations = relations;
    }

    public String path() { return path; }

    public static Collection of(String path) {
      for (Collection c : values()) {
        if (c.path.equals(path)) {
          return c;
        }
      }
      return null;
    }
  }

  /** Parses {@code $select} for a collection; {@code delta} decides whether members come by default. */
  public static Selection parse(Collection c, String select, boolean delta) {
    if (select == null || select.isBlank()) {
      Set<String> rel = delta && c != Collection.USERS ? Set.of("members") : Set.of();
      return new Selection(c.defaults, rel, "");
    }
    List<String> props = new ArrayList<>();
    Set<String> rel = new LinkedHashSet<>();
    for (String raw : select.split(",")) {
      String name = raw.trim();
      if (name.isEmpty()) {
        continue;
      }
      String known = find(c.all, name);
      if (known != null) {
        if (!props.contains(known)) {
          props.add(known);
        }
      } else if (c.relations.contains(name)) {
        if (!delta) {
          throw GraphException.badRequest("Parsing OData Select and Expand failed: Could not find a property named '" + name
              + "' on type '" + c.typeName + "'.");
        }
        rel.add(name);
      } else if (c.untracked.contains(name)) {
        if (delta) {
          throw new GraphException(501, "NotImplemented", "This operation target is not yet supported.");
        }
      } else {
        throw GraphException.badRequest("Parsing OData Select and Expand failed: Could not find a property named '" + name
            + "' on type '" + c.typeName + "'.");
      }
    }
    if (!props.contains("id")) {
      props.add("id");
    }
    return new Selection(List.copyOf(props), Set.copyOf(rel), select);
  }

  private static String find(List<String> names, String name) {
    for (String n : names) {
      if (n.equalsIgnoreCase(name)) {
        return n;
      }
    }
    return null;
  }
}
