package io.entrabackup.cluster.approval;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.restore.RestorePlan;
import io.entrabackup.protocol.restore.RoleAssignmentRef;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Entra roles whose grant is privileged for four-eyes restores, by role template id (the same in every
 * directory; a built-in role's definition id is its template id). They are the roles that can take over a directory
 * or its users' sign-in, directly or in one step: Microsoft marks most of them "privileged" in its role list.
 *
 * <p>A restore is privileged when it may grant one of them:
 *
 * <ul>
 *   <li>a directory role's memberships, when the role is one of these;
 *   <li>a role assignment of one of these roles;
 *   <li>a group that can be assigned roles ({@code isAssignableToRole}): its members hold whatever roles the group
 *       holds, so its membership is a role grant whichever role that is;
 *   <li>a user whose restore would add back an assignment of one of these roles (read from the restore's plan).
 * </ul>
 *
 * <p>An object whose role cannot be read counts as privileged: the rule fails closed.
 */
public final class PrivilegedRoles {

  /** Template id to name (the name is for the reason a job shows). */
  public static final Map<String, String> TEMPLATES = Map.ofEntries(
      Map.entry("62e90394-69f5-4237-9190-012177145e10", "Global Administrator"),
      Map.entry("e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator"),
      Map.entry("7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "Privileged Authentication Administrator"),
      Map.entry("194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator"),
      Map.entry("fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator"),
      Map.entry("29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator"),
      Map.entry("f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator"),
      Map.entry("9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator"),
      Map.entry("158c047a-c907-4556-b7ef-446551a6b5f7", "Cloud Application Administrator"),
      Map.entry("c4e39bd9-1100-46d3-8c65-fb160da0071f", "Authentication Administrator"),
      Map.entry("b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "Conditional Access Administrator"),
      Map.entry("8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2", "Hybrid Identity Administrator"),
      Map.entry("729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator"),
      Map.entry("966707d0-3269-4727-9be2-8c3a10f19b9d", "Password Administrator"),
      Map.entry("fdd7a751-b60b-444a-984c-02652fe8fa1c", "Groups Administrator"),
      Map.entry("3a2c62db-5318-420d-8d74-23affee5d9d5", "Intune Administrator"),
      Map.entry("69091246-20e8-4a56-aa4d-066075b2a7a8", "Teams Administrator"));

  private PrivilegedRoles() {}

  public static boolean isPrivilegedRole(String templateOrDefinitionId) {
    return templateOrDefinitionId != null
        && TEMPLATES.containsKey(templateOrDefinitionId.toLowerCase(Locale.ROOT));
  }

  /**
   * Why restoring this version of an object is privileged, from its backed-up state alone; empty when it is not (or
   * when only its plan can tell: users, see {@link #grantedBy(RestorePlan)}).
   */
  public static Optional<String> privilegeOf(ObjectType type, JsonNode state) {
    return switch (type) {
      case DIRECTORY_ROLES -> role(state.path("roleTemplateId"), "the memberships of directory role ");
      case ROLE_ASSIGNMENTS -> role(state.path("roleDefinitionId"), "an assignment of role ");
      case GROUPS -> state.path("isAssignableToRole").asBoolean(false)
          ? Optional.of("the members of a role-assignable group")
          : Optional.empty();
      default -> Optional.empty();
    };
  }

  /** Why a user restore's plan is privileged: it adds back an assignment of a privileged role. */
  public static Optional<String> grantedBy(RestorePlan plan) {
    return plan.roleAssignmentsToAdd().stream()
        .map(RoleAssignmentRef::roleDefinitionId)
        .filter(PrivilegedRoles::isPrivilegedRole)
        .findFirst()
        .map(role -> "an assignment of role " + TEMPLATES.get(role.toLowerCase(Locale.ROOT)));
  }

  private static Optional<String> role(JsonNode id, String what) {
    if (!id.isTextual()) {
      return Optional.of(what + "(unknown role: treated as privileged)");
    }
    String template = id.asText().toLowerCase(Locale.ROOT);
    return TEMPLATES.containsKey(template)
        ? Optional.of(what + TEMPLATES.get(template))
        : Optional.empty();
  }
}
