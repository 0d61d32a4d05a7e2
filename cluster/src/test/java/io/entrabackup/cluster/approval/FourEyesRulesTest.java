package io.entrabackup.cluster.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrabackup.protocol.account.FourEyes;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.restore.LiveState;
import io.entrabackup.protocol.restore.RestoreAction;
import io.entrabackup.protocol.restore.RestorePlan;
import io.entrabackup.protocol.restore.RoleAssignmentRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which restores wait for a second key, by the account's four-eyes settings and what the restore would grant. */
class FourEyesRulesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
  private static final String GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";

  private static final FourEyes PRIVILEGED_ONLY = new FourEyes(true, false, false, null);
  private static final FourEyes EVERY_RESTORE = new FourEyes(false, true, false, "PT1H");

  @Test
  void privilegedOnlyMakesPrivilegedRoleMembershipsAndAssignmentsWait() {
    assertTrue(reason(PRIVILEGED_ONLY, ObjectType.DIRECTORY_ROLES, "{\"roleTemplateId\":\"" + GLOBAL_ADMIN + "\"}")
        .orElseThrow().contains("Global Administrator"));
    assertTrue(reason(PRIVILEGED_ONLY, ObjectType.ROLE_ASSIGNMENTS,
        "{\"roleDefinitionId\":\"" + GLOBAL_ADMIN.toUpperCase() + "\"}").isPresent(), "ids compare case-blind");
    assertTrue(reason(PRIVILEGED_ONLY, ObjectType.GROUPS, "{\"isAssignableToRole\":true}").isPresent(),
        "a role-assignable group's members hold its roles");
  }

  @Test
  void privilegedOnlyLetsOrdinaryObjectsRunAtOnce() {
    assertEquals(Optional.empty(), reason(PRIVILEGED_ONLY, ObjectType.DIRECTORY_ROLES,
        "{\"roleTemplateId\":\"" + GLOBAL_READER + "\"}"));
    assertEquals(Optional.empty(), reason(PRIVILEGED_ONLY, ObjectType.ROLE_ASSIGNMENTS,
        "{\"roleDefinitionId\":\"" + GLOBAL_READER + "\"}"));
    assertEquals(Optional.empty(), reason(PRIVILEGED_ONLY, ObjectType.GROUPS, "{\"displayName\":\"Sales\"}"));
    assertEquals(Optional.empty(), reason(PRIVILEGED_ONLY, ObjectType.USERS, "{}"));
  }

  @Test
  void aRoleWhoseIdCannotBeReadCountsAsPrivileged() {
    assertTrue(reason(PRIVILEGED_ONLY, ObjectType.DIRECTORY_ROLES, "{}").isPresent());
    assertTrue(reason(PRIVILEGED_ONLY, ObjectType.ROLE_ASSIGNMENTS, "{\"roleDefinitionId\":7}").isPresent());
  }

  @Test
  void aUserWaitsWhenItsRestoreAddsBackAPrivilegedAssignment() {
    var grantsAdmin = plan(List.of(new RoleAssignmentRef("u1", GLOBAL_ADMIN, "/")));
    var grantsReader = plan(List.of(new RoleAssignmentRef("u1", GLOBAL_READER, "/")));
    assertTrue(FourEyesRules.restoreReason(PRIVILEGED_ONLY, ObjectType.USERS, state("{}"), Optional.of(grantsAdmin))
        .orElseThrow().contains("Global Administrator"));
    assertEquals(Optional.empty(),
        FourEyesRules.restoreReason(PRIVILEGED_ONLY, ObjectType.USERS, state("{}"), Optional.of(grantsReader)));
  }

  @Test
  void everyRestoreMakesEveryRestoreWaitAndOffMakesNoneWait() {
    assertTrue(reason(EVERY_RESTORE, ObjectType.GROUPS, "{}").orElseThrow().contains("every restore"));
    assertEquals(Optional.empty(), reason(FourEyes.OFF, ObjectType.DIRECTORY_ROLES,
        "{\"roleTemplateId\":\"" + GLOBAL_ADMIN + "\"}"));
  }

  @Test
  void theApprovalWindowIsAnIsoDurationWithinBounds() {
    assertEquals(Duration.ofHours(24), PRIVILEGED_ONLY.window(), "24 hours unless chosen");
    assertEquals(Duration.ofHours(1), EVERY_RESTORE.window());
    assertFalse(EVERY_RESTORE.problem().isPresent());
    for (String bad : List.of("tomorrow", "PT1S", "P30D", "-PT1H")) {
      assertTrue(new FourEyes(true, false, false, bad).problem().isPresent(), bad);
    }
  }

  private static Optional<String> reason(FourEyes rule, ObjectType type, String state) {
    return FourEyesRules.restoreReason(rule, type, state(state), Optional.empty());
  }

  private static JsonNode state(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static RestorePlan plan(List<RoleAssignmentRef> assignments) {
    return new RestorePlan("users", "u1", "v1", LiveState.LIVE, RestoreAction.UPDATE, Map.of(), List.of(),
        List.of(), List.of(), List.of(), List.of(), assignments, List.of(), List.of());
  }
}
