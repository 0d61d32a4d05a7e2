package io.entrabackup.cluster.restore;

import io.entrabackup.protocol.restore.RestoreAction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.restore.LiveState;
import io.entrabackup.protocol.restore.RestorePlan;
import io.entrabackup.protocol.restore.RoleAssignmentRef;
import io.entrabackup.protocol.restore.SkipReason;
import io.entrabackup.protocol.restore.SkippedItem;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RestorePlannerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static ObjectSnapshot version(ObjectType type, String state) {
    ObjectNode node = json(state);
    return new ObjectSnapshot(type, node.path("id").asText(), "v1", "run-1", Instant.EPOCH, "hash", Optional.empty(),
        "name", node);
  }

  private static LiveObject live(String state, Set<String> members, Set<String> owners) {
    return new LiveObject(LiveState.LIVE, Optional.of(json(state)), members, owners);
  }

  private static List<SkipReason> reasons(RestorePlan plan) {
    return plan.skipped().stream().map(SkippedItem::reason).toList();
  }

  @Test
  void onlyPropertiesThatDifferAreSetAndReadOnlyOnesAreSkipped() {
    var target = version(ObjectType.USERS, "{'id':'u1','jobTitle':'Engineer','city':'Oslo','createdDateTime':'2020',"
        + "'usageLocation':null,'manager@delta':[{'id':'m1'}]}");
    var plan = RestorePlanner.plan(PlanInput.of(target, live("{'id':'u1','jobTitle':'Boss','city':'Oslo',"
        + "'createdDateTime':'2024'}", Set.of(), Set.of())));
    assertEquals(RestoreAction.UPDATE, plan.action());
    assertEquals(Set.of("jobTitle"), plan.propertiesToSet().keySet(), "equal values and null vs missing are no-ops");
    assertEquals(List.of(SkipReason.READ_ONLY), reasons(plan));
    assertEquals("createdDateTime", plan.skipped().get(0).item());
  }

  @Test
  void aPlanAgainstTheRestoredStateIsEmpty() {
    String state = "{'id':'g1','displayName':'Team','groupTypes':[],'members':[{'id':'a'},{'id':'b'}],"
        + "'owners':[{'id':'o'}]}";
    var plan = RestorePlanner.plan(PlanInput.of(version(ObjectType.GROUPS, state),
        live("{'id':'g1','displayName':'Team','groupTypes':[]}", Set.of("a", "b"), Set.of("o"))));
    assertEquals(0, plan.changeCount());
    assertTrue(plan.skipped().isEmpty());
  }

  @Test
  void syncedUsersKeepTheirOnPremisesMasteredProperties() {
    var target = version(ObjectType.USERS, "{'id':'u1','jobTitle':'Engineer','usageLocation':'NO'}");
    var plan = RestorePlanner.plan(PlanInput.of(target, live("{'id':'u1','jobTitle':'Boss','usageLocation':'SE',"
        + "'onPremisesSyncEnabled':true}", Set.of(), Set.of())));
    assertEquals(Set.of("usageLocation"), plan.propertiesToSet().keySet());
    assertEquals(List.of(SkipReason.SYNCED), reasons(plan));
  }

  @Test
  void groupMembersAndOwnersAreAddedAndRemovedToMatch() {
    var target = version(ObjectType.GROUPS, "{'id':'g1','groupTypes':[],'members':[{'id':'a'},{'id':'b'}],"
        + "'owners':[{'id':'o1'}]}");
    var plan = RestorePlanner.plan(PlanInput.of(target, live("{'id':'g1','groupTypes':[]}", Set.of("b", "c"),
        Set.of("o2"))));
    assertEquals(List.of("a"), plan.membersToAdd());
    assertEquals(List.of("c"), plan.membersToRemove());
    assertEquals(List.of("o1"), plan.ownersToAdd());
    assertEquals(List.of("o2"), plan.ownersToRemove());
  }

  @Test
  void dynamicGroupMembersAreSkippedButOwnersRestored() {
    var target = version(ObjectType.GROUPS, "{'id':'g1','groupTypes':['DynamicMembership'],'members':[{'id':'a'}],"
        + "'owners':[{'id':'o1'}]}");
    var plan = RestorePlanner.plan(PlanInput.of(target, live("{'id':'g1','groupTypes':['DynamicMembership']}",
        Set.of("b"), Set.of())));
    assertTrue(plan.membersToAdd().isEmpty() && plan.membersToRemove().isEmpty());
    assertEquals(List.of("o1"), plan.ownersToAdd());
    assertEquals(List.of(SkipReason.DYNAMIC_MEMBERSHIP, SkipReason.DYNAMIC_MEMBERSHIP), reasons(plan));
  }

  @Test
  void mailEnabledSecurityGroupsAreSkippedWhole() {
    var target = version(ObjectType.GROUPS, "{'id':'g1','mailEnabled':true,'securityEnabled':true,'groupTypes':[],"
        + "'description':'x'}");
    var plan = RestorePlanner.plan(PlanInput.of(target, live("{'id':'g1','mailEnabled':true,'groupTypes':[],"
        + "'description':'y'}", Set.of(), Set.of())));
    assertEquals(0, plan.propertiesToSet().size());
    assertEquals("object", plan.skipped().get(0).item());
    assertEquals(SkipReason.MAIL_ENABLED, plan.skipped().get(0).reason());
  }

  @Test
  void deletedObjectsAreUndeletedOrRecreated() {
    var target = version(ObjectType.USERS, "{'id':'u1','displayName':'Ann'}");
    var softDeleted = new LiveObject(LiveState.SOFT_DELETED, Optional.of(json("{'id':'u1'}")), Set.of(),
        Set.of());
    assertEquals(RestoreAction.UNDELETE, RestorePlanner.plan(PlanInput.of(target, softDeleted)).action());
    var recreate = RestorePlanner.plan(PlanInput.of(target, LiveObject.gone()));
    assertEquals(RestoreAction.RECREATE, recreate.action());
    assertEquals(Set.of("displayName"), recreate.propertiesToSet().keySet());
  }

  @Test
  void userMembershipsAreReaddedWhereGraphAllowsIt() {
    var target = version(ObjectType.USERS, "{'id':'u1'}");
    var memberships = List.of(
        new MembershipAtVersion("g-plain", "Plain", Optional.of(json("{'groupTypes':[]}")), false),
        new MembershipAtVersion("g-member", "Still", Optional.of(json("{'groupTypes':[]}")), true),
        new MembershipAtVersion("g-dynamic", "Dyn", Optional.of(json("{'groupTypes':['DynamicMembership']}")), false),
        new MembershipAtVersion("g-gone", "Gone", Optional.empty(), false));
    var plan = RestorePlanner.plan(new PlanInput(target, live("{'id':'u1'}", Set.of(), Set.of()), memberships,
        List.of(new RoleAssignmentRef("u1", "r1", "/"), new RoleAssignmentRef("u1", "r2", "/")),
        List.of(new RoleAssignmentRef("u1", "r1", "/"), new RoleAssignmentRef("u1", "r3", "/"))));
    assertEquals(List.of("g-plain"), plan.membershipsToAdd());
    assertEquals(List.of(SkipReason.DYNAMIC_MEMBERSHIP, SkipReason.MEMBER_GONE), reasons(plan));
    assertEquals(List.of(new RoleAssignmentRef("u1", "r2", "/")), plan.roleAssignmentsToAdd(),
        "missing assignments are added; newer ones are left alone");
  }

  @Test
  void aRoleAssignmentIsRecreatedOnlyWhenNoEqualOneExists() {
    var target = version(ObjectType.ROLE_ASSIGNMENTS, "{'id':'a1','principalId':'u1','roleDefinitionId':'r1',"
        + "'directoryScopeId':'/'}");
    var gone = RestorePlanner.plan(PlanInput.of(target, LiveObject.gone()));
    assertEquals(List.of(new RoleAssignmentRef("u1", "r1", "/")), gone.roleAssignmentsToAdd());
    var equalExists = RestorePlanner.plan(new PlanInput(target, LiveObject.gone(), List.of(), List.of(),
        List.of(new RoleAssignmentRef("u1", "r1", "/"))));
    assertTrue(equalExists.roleAssignmentsToAdd().isEmpty());
  }

  @Test
  void directoryRoleMembersFollowTheVersion() {
    var target = version(ObjectType.DIRECTORY_ROLES, "{'id':'d1','displayName':'Role','members':[{'id':'a'}]}");
    var plan = RestorePlanner.plan(PlanInput.of(target, live("{'id':'d1','displayName':'Role'}", Set.of("b"),
        Set.of())));
    assertEquals(List.of("a"), plan.membersToAdd());
    assertEquals(List.of("b"), plan.membersToRemove());
  }

  @Test
  void tombstonesCannotBeRestoredTo() {
    var tombstone = new ObjectSnapshot(ObjectType.USERS, "u1", "v2", "run", Instant.EPOCH, "h", Optional.of("deleted"),
        "n", json("{'id':'u1'}"));
    assertThrows(IllegalArgumentException.class, () -> RestorePlanner.plan(PlanInput.of(tombstone,
        LiveObject.gone())));
  }
}
