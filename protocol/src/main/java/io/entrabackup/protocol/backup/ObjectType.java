package io.entrabackup.protocol.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The kinds of directory object we back up, named as Microsoft Graph names their collections, each with what Graph
 * and we can do with it. Declared in backup order: role definitions and assignments come last because they refer to
 * users and groups.
 */
public enum ObjectType {
  USERS("users", true, true, false),
  GROUPS("groups", true, true, true),
  DIRECTORY_ROLES("directoryRoles", true, true, true),
  ROLE_DEFINITIONS("roleDefinitions", false, false, false),
  ROLE_ASSIGNMENTS("roleAssignments", false, true, false);

  private static final List<ObjectType> BACKUP_ORDER = List.of(values());
  private static final List<ObjectType> RESTORABLE = BACKUP_ORDER.stream().filter(ObjectType::isRestorable).toList();

  private final String apiName;
  private final boolean hasDelta;
  private final boolean restorable;
  private final boolean hasMembers;

  ObjectType(String apiName, boolean hasDelta, boolean restorable, boolean hasMembers) {
    this.apiName = apiName;
    this.hasDelta = hasDelta;
    this.restorable = restorable;
    this.hasMembers = hasMembers;
  }

  /** The name in URLs, JSON and ZIP folders: {@code users}, {@code groups}, ... */
  @JsonValue
  public String apiName() {
    return apiName;
  }

  /**
   * Graph v1.0 has a delta query for it ({@code /users/delta}): a backup can ask for changes only. Role definitions
   * and role assignments have none: every backup lists them whole.
   */
  public boolean hasDelta() {
    return hasDelta;
  }

  /** A restore can put a version of it back (role definitions are not restored: their assignments are). */
  public boolean isRestorable() {
    return restorable;
  }

  /**
   * Its objects have members, which Graph spreads over many pages for a large one (repeating the object on each):
   * groups and directory roles.
   */
  public boolean hasMembers() {
    return hasMembers;
  }

  /** Every type, in the order a backup crawls them and a download's folders list them. */
  public static List<ObjectType> inBackupOrder() {
    return BACKUP_ORDER;
  }

  /** The types a restore covers, in backup order. */
  public static List<ObjectType> restorable() {
    return RESTORABLE;
  }

  /** Names for a sentence: {@code users, groups and roleAssignments}. */
  public static String describe(List<ObjectType> types) {
    List<String> names = types.stream().map(ObjectType::apiName).toList();
    if (names.size() < 2) {
      return String.join("", names);
    }
    return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
  }

  public static Optional<ObjectType> fromApiName(String name) {
    return Arrays.stream(values()).filter(type -> type.apiName.equals(name)).findFirst();
  }

  @JsonCreator
  static ObjectType parse(String name) {
    return fromApiName(name).orElseThrow(() -> new IllegalArgumentException("object type must be one of "
        + BACKUP_ORDER.stream().map(ObjectType::apiName).collect(Collectors.joining(", "))));
  }
}
