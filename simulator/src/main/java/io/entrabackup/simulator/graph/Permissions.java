package io.entrabackup.simulator.graph;

import java.util.Set;

/** Which application permissions allow which Graph calls (any one of a set suffices). */
final class Permissions {
  private Permissions() {}

  static final Set<String> READ_USERS = Set.of("User.Read.All", "User.ReadWrite.All", "Directory.Read.All",
      "Directory.ReadWrite.All");
  static final Set<String> READ_GROUPS = Set.of("Group.Read.All", "Group.ReadWrite.All", "GroupMember.Read.All",
      "GroupMember.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All");
  static final Set<String> READ_ROLES = Set.of("RoleManagement.Read.Directory", "RoleManagement.ReadWrite.Directory",
      "RoleManagement.Read.All", "Directory.Read.All", "Directory.ReadWrite.All");
  static final Set<String> READ_ORGANIZATION = Set.of("Organization.Read.All", "Organization.ReadWrite.All",
      "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All");
  static final Set<String> READ_ANY = Set.of("User.Read.All", "User.ReadWrite.All", "Group.Read.All",
      "Group.ReadWrite.All", "GroupMember.Read.All", "GroupMember.ReadWrite.All", "Directory.Read.All",
      "Directory.ReadWrite.All");
  static final Set<String> WRITE_USERS = Set.of("User.ReadWrite.All", "Directory.ReadWrite.All");
  static final Set<String> WRITE_GROUPS = Set.of("Group.ReadWrite.All", "Directory.ReadWrite.All");
  static final Set<String> WRITE_MEMBERS = Set.of("GroupMember.ReadWrite.All", "Group.ReadWrite.All",
      "Directory.ReadWrite.All");
  static final Set<String> WRITE_ROLES = Set.of("RoleManagement.ReadWrite.Directory");
}
