package io.entrabackup.simulator.directory;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Role definitions (built-in, whose ids are the well-known template ids, and custom), administrative units, role
 * assignments (tenant-wide "/" and scoped), and the directory roles they activate. Directory role members are derived
 * from tenant-wide assignments of the matching built-in role, so the two views never disagree.
 */
public final class RoleCatalog {
  /** A role definition. */
  public record RoleDefinition(String id, String displayName, String description, boolean builtIn, List<String> actions) {}

  /** A role assignment; principal is a member key (see {@link Membership#key}). */
  public record RoleAssignment(String id, String roleDefinitionId, long principal, String directoryScopeId) {}

  /** An activated directory role (the legacy view of a built-in role). */
  public record DirectoryRole(int index, String id, String roleTemplateId, String displayName, String description) {}

  static final List<RoleDefinition> BUILT_IN = List.of(
      builtIn("62e90394-69f5-4237-9190-012177145e10", "Global Administrator",
          "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.",
          "microsoft.directory/users/allProperties/allTasks", "microsoft.directory/groups/allProperties/allTasks"),
      builtIn("f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader",
          "Can read everything that a Global Administrator can, but not update anything.",
          "microsoft.directory/users/allProperties/read", "microsoft.directory/groups/allProperties/read"),
      builtIn("fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator",
          "Can manage all aspects of users and groups, including resetting passwords for limited admins.",
          "microsoft.directory/users/create", "microsoft.directory/users/delete", "microsoft.directory/groups/members/update"),
      builtIn("729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator",
          "Can reset passwords for non-administrators and Helpdesk Administrators.",
          "microsoft.directory/users/password/update", "microsoft.directory/users/invalidateAllRefreshTokens"),
      builtIn("fdd7a751-b60b-444a-984c-02652fe8fa1c", "Groups Administrator",
          "Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies.",
          "microsoft.directory/groups/create", "microsoft.directory/groups/delete", "microsoft.directory/groups/members/update"),
      builtIn("29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator",
          "Can manage all aspects of the Exchange product.", "microsoft.office365.exchange/allEntities/basic/allTasks"),
      builtIn("f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator",
          "Can manage all aspects of the SharePoint service.", "microsoft.office365.sharePoint/allEntities/allTasks"),
      builtIn("194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator",
          "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.",
          "microsoft.directory/policies/standard/read"),
      builtIn("5d6b6bb7-de71-4623-b4af-96380a352509", "Security Reader",
          "Can read security information and reports in Microsoft Entra ID and Office 365.",
          "microsoft.directory/auditLogs/allProperties/read"),
      builtIn("e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator",
          "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.",
          "microsoft.directory/roleAssignments/allProperties/allTasks"),
      builtIn("9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator",
          "Can create and manage all aspects of app registrations and enterprise apps.",
          "microsoft.directory/applications/create"),
      builtIn("b0f54661-2d74-4c50-afa3-1ec803f12efe", "Billing Administrator",
          "Can perform common billing related tasks like updating payment information.",
          "microsoft.commerce.billing/allEntities/allTasks"),
      builtIn("c4e39bd9-1100-46d3-8c65-fb160da0071f", "Authentication Administrator",
          "Can access to view, set and reset authentication method information for any non-admin user.",
          "microsoft.directory/users/authenticationMethods/create"),
      builtIn("88d8e3e3-8f55-4a1e-953a-9b9898b8876b", "Directory Readers",
          "Can read basic directory information. Commonly used to grant directory read access to applications and guests.",
          "microsoft.directory/users/standard/read"));

  private final ObjectIds ids;
  private final long salt;
  private final List<RoleDefinition> definitions = new ArrayList<>();
  private final List<String> administrativeUnits = new ArrayList<>();
  private final Map<String, RoleAssignment> assignments = new LinkedHashMap<>();
  private final List<DirectoryRole> directoryRoles = new ArrayList<>();

  RoleCatalog(long salt, ObjectIds ids) {
    this.salt = salt;
    this.ids = ids;
    definitions.addAll(BUILT_IN);
    definitions.add(new RoleDefinition(ids.id(ObjectKind.ROLE_DEFINITION, 0).toString(), "Helpdesk Tier 1",
        "Custom role: resets passwords and reads users in their administrative unit.", false,
        List.of("microsoft.directory/users/password/update", "microsoft.directory/users/standard/read")));
    definitions.add(new RoleDefinition(ids.id(ObjectKind.ROLE_DEFINITION, 1).toString(), "Group Membership Manager",
        "Custom role: manages memberships of groups in their administrative unit.", false,
        List.of("microsoft.directory/groups/members/update", "microsoft.directory/groups/standard/read")));
    administrativeUnits.add(ids.id(ObjectKind.ADMINISTRATIVE_UNIT, 0).toString());
    administrativeUnits.add(ids.id(ObjectKind.ADMINISTRATIVE_UNIT, 1).toString());
  }

  private static RoleDefinition builtIn(String id, String name, String description, String... actions) {
    return new RoleDefinition(id, name, description, true, List.of(actions));
  }

  /** Generates assignments for a tenant of {@code users} users: an admin, a few per role, scoped custom ones. */
  void generate(int users) {
    add(BUILT_IN.get(0).id(), Membership.key(ObjectKind.USER, 0), "/");
    int admins = Math.max(3, Math.min(2000, users / 200));
    for (int i = 0; i < admins && users > 1; i++) {
      int user = 1 + Mix.pick(salt, i, 201, users - 1);
      RoleDefinition role = BUILT_IN.get(Mix.pick(salt, i, 202, 7));
      add(role.id(), Membership.key(ObjectKind.USER, user), "/");
    }
    for (int i = 0; i < Math.min(10, Math.max(2, users / 1000)) && users > 1; i++) {
      int user = 1 + Mix.pick(salt, i, 203, users - 1);
      add(definitions.get(BUILT_IN.size() + (i % 2)).id(), Membership.key(ObjectKind.USER, user),
          "/administrativeUnits/" + administrativeUnits.get(i % 2));
    }
    if (users > 1) {
      add(BUILT_IN.get(3).id(), Membership.key(ObjectKind.USER, 1 + Mix.pick(salt, 0, 204, users - 1)),
          "/administrativeUnits/" + administrativeUnits.get(0));
    }
    for (RoleDefinition d : BUILT_IN) {
      boolean used = assignments.values().stream().anyMatch(a -> a.roleDefinitionId().equals(d.id()) && a.directoryScopeId().equals("/"));
      if (used) {
        activate(d);
      }
    }
  }

  /** Activates the directory role for a built-in definition if not yet active; returns its index. */
  int activate(RoleDefinition d) {
    for (DirectoryRole r : directoryRoles) {
      if (r.roleTemplateId().equals(d.id())) {
        return r.index();
      }
    }
    int index = directoryRoles.size();
    directoryRoles.add(new DirectoryRole(index, ids.id(ObjectKind.DIRECTORY_ROLE, index).toString(), d.id(), d.displayName(), d.description()));
    return index;
  }

  RoleAssignment add(String roleDefinitionId, long principal, String scope) {
    String id = assignmentId(roleDefinitionId, principal, scope);
    RoleAssignment a = new RoleAssignment(id, roleDefinitionId, principal, scope);
    assignments.putIfAbsent(id, a);
    return assignments.get(id);
  }

  RoleAssignment remove(String id) {
    return assignments.remove(id);
  }

  // Entra's tenant-wide assignment ids are base64url(roleDefinitionId bytes) + base64url(principalId bytes) + "-1".
  private String assignmentId(String roleDefinitionId, long principal, String scope) {
    UUID p = ids.id(Membership.kindOf(principal), Membership.indexOf(principal));
    String base = b64(UUID.fromString(roleDefinitionId)) + b64(p);
    if (scope.equals("/")) {
      return base + "-1";
    }
    return base + "-" + Integer.toUnsignedString(scope.hashCode() & 0xfffff, 36) + "-1";
  }

  private static String b64(UUID u) {
    byte[] b = new byte[16];
    long m = u.getMostSignificantBits();
    long l = u.getLeastSignificantBits();
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (m >>> (56 - 8 * i));
      b[8 + i] = (byte) (l >>> (56 - 8 * i));
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public List<RoleDefinition> definitions() {
    return definitions;
  }

  public RoleDefinition definition(String id) {
    return definitions.stream().filter(d -> d.id().equalsIgnoreCase(id)).findFirst().orElse(null);
  }

  public List<RoleAssignment> assignments() {
    return new ArrayList<>(assignments.values());
  }

  public RoleAssignment assignment(String id) {
    return assignments.get(id);
  }

  public List<DirectoryRole> directoryRoles() {
    return directoryRoles;
  }

  public List<String> administrativeUnits() {
    return administrativeUnits;
  }

  /** Members of a directory role: principals of tenant-wide assignments of its template. */
  public List<Long> roleMembers(DirectoryRole role) {
    List<Long> out = new ArrayList<>();
    for (RoleAssignment a : assignments.values()) {
      if (a.roleDefinitionId().equalsIgnoreCase(role.roleTemplateId()) && a.directoryScopeId().equals("/")
          && !out.contains(a.principal())) {
        out.add(a.principal());
      }
    }
    return out;
  }

  public DirectoryRole directoryRoleFor(String templateId) {
    return directoryRoles.stream().filter(r -> r.roleTemplateId().equalsIgnoreCase(templateId)).findFirst().orElse(null);
  }
}
