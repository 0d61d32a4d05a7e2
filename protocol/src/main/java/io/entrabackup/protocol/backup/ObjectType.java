package io.entrabackup.protocol.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** The kinds of directory object we back up, named as Microsoft Graph names their collections. */
public enum ObjectType {
  USERS("users"),
  GROUPS("groups"),
  DIRECTORY_ROLES("directoryRoles"),
  ROLE_DEFINITIONS("roleDefinitions"),
  ROLE_ASSIGNMENTS("roleAssignments");

  private final String apiName;

  ObjectType(String apiName) {
    this.apiName = apiName;
  }

  /** The name in URLs, JSON and ZIP folders: {@code users}, {@code groups}, ... */
  @JsonValue
  public String apiName() {
    return apiName;
  }

  public static Optional<ObjectType> fromApiName(String name) {
    return Arrays.stream(values()).filter(type -> type.apiName.equals(name)).findFirst();
  }

  @JsonCreator
  static ObjectType parse(String name) {
    return fromApiName(name).orElseThrow(() -> new IllegalArgumentException(
        "object type must be one of users, groups, directoryRoles, roleDefinitions, roleAssignments"));
  }
}
