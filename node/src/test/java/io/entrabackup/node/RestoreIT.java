package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import io.entrabackup.simulator.throttle.Faults;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Restores end to end against the real simulator and Cassandra: the directory is changed through Graph, a restore
 * puts an object back to an earlier version, and a backup afterwards shows the object equal to that version in every
 * restorable property; what cannot be restored is listed with its reason.
 */
class RestoreIT {

  /** Privileged Authentication Administrator: lets the app write users who hold admin roles. */
  private static final String PRIVILEGED_AUTH_ADMIN = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13";
  private static final String KEY = TestDeployment.KEY;

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(2).users(40).groups(24).seed(23))
          .beforeAuthorizing(simulator -> simulator.admin().grantDirectoryRole(simulator.tenants().get(0).id(),
              TestNode.CLIENT_ID, PRIVILEGED_AUTH_ADMIN))
          .withAuthorizedTenant();

  private static Simulator simulator;
  private static TestNode node;
  private static SimulatorGraph graph;
  private static BackedUpDirectory backups;
  private static TenantRestores restores;
  private static final Deque<String> cloudUsers = new ArrayDeque<>();
  private static final Deque<String> securityGroups = new ArrayDeque<>();

  @BeforeAll
  static void findWritableObjects() {
    simulator = deployment.simulator();
    node = deployment.node();
    graph = deployment.graph();
    backups = deployment.backups();
    restores = deployment.restores();
    graph.ok("GET", "/users?$select=id,userPrincipalName,onPremisesSyncEnabled,userType&$top=999", null).get("value")
        .forEach(user -> {
          if (!user.path("onPremisesSyncEnabled").asBoolean(false) && "Member".equals(user.path("userType").asText())
              && !user.path("userPrincipalName").asText().startsWith("admin@")) {
            cloudUsers.add(user.get("id").asText());
          }
        });
    graph.ok("GET", "/groups?$select=id,groupTypes,mailEnabled,securityEnabled,onPremisesSyncEnabled&$top=999", null)
        .get("value").forEach(group -> {
          boolean unified = group.path("groupTypes").toString().contains("Unified");
          boolean dynamic = group.path("groupTypes").toString().contains("DynamicMembership");
          boolean security = group.path("securityEnabled").asBoolean(false) && !group.path("mailEnabled").asBoolean(false);
          // Groups whose members Graph lets an app change: cloud security and Microsoft 365 groups.
          if (!dynamic && (unified || security) && !group.path("onPremisesSyncEnabled").asBoolean(false)) {
            securityGroups.add(group.get("id").asText());
          }
        });
    assertTrue(cloudUsers.size() >= 8 && securityGroups.size() >= 2, cloudUsers + " " + securityGroups);
  }

  @Test
  void userPropertiesAndMembershipsComeBackAndASecondRestoreChangesNothing() {
    String user = cloudUsers.pop();
    String group = securityGroups.pop();
    graph.send("POST", "/groups/" + group + "/members/$ref", graph.ref(user));
    backUpNow(backups);
    String version = backups.latestVersionId("users", user);
    JsonNode before = backups.version("users", user, version);

    graph.ok("PATCH", "/users/" + user, "{\"jobTitle\":\"Changed title\",\"department\":\"Changed department\"}");
    graph.ok("DELETE", "/groups/" + group + "/members/" + user + "/$ref", null);
    backUpNow(backups);

    JsonNode plan = restores.plan("users", user, version);
    assertEquals("update", plan.get("action").asText(), plan.toString());
    assertTrue(plan.get("propertiesToSet").has("jobTitle") && plan.get("propertiesToSet").has("department"),
        plan.toString());
    assertEquals(List.of(group), strings(plan.get("membershipsToAdd")), plan.toString());
    assertEquals("Changed title", graph.ok("GET", "/users/" + user + "?$select=jobTitle", null).get("jobTitle")
        .asText(), "a plan writes nothing");

    JsonNode job = restores.restore("users", user, version);
    assertEquals("completed", job.get("state").asText(), job.toString());
    assertTrue(job.get("restore").get("changes").asLong() >= 3, job.toString());
    assertEquals(version, job.get("restore").get("versionId").asText());
    assertTrue(job.get("restore").get("requestedBy").asText().length() > 0, "the audit names the API key");

    JsonNode again = restores.restore("users", user, version);
    assertEquals("completed", again.get("state").asText(), again.toString());
    assertEquals(0, again.get("restore").get("changes").asLong(), "a second identical restore changes nothing");

    backUpNow(backups);
    JsonNode after = backups.latest("users", user);
    assertEquals(properties(before), properties(after), "the user equals the chosen version again");
    JsonNode groupNow = backups.latest("groups", group);
    assertTrue(strings(groupNow.get("members"), "id").contains(user), groupNow.toString());

    JsonNode restoreJobs = node.get("/api/v1/jobs?kind=restore", KEY).get("items");
    assertTrue(restoreJobs.size() >= 2 && restoreJobs.get(0).has("restore"), restoreJobs.toString());
  }

  @Test
  void groupPropertiesMembersAndOwnersComeBack() {
    String group = securityGroups.pop();
    String newcomer = cloudUsers.pop();
    backUpNow(backups);
    String version = backups.latestVersionId("groups", group);
    JsonNode before = backups.version("groups", group, version);
    List<String> members = strings(before.get("members"), "id");
    assertFalse(members.isEmpty(), before.toString());

    graph.ok("PATCH", "/groups/" + group, "{\"description\":\"Changed by someone\"}");
    graph.ok("DELETE", "/groups/" + group + "/members/" + members.get(0) + "/$ref", null);
    graph.send("POST", "/groups/" + group + "/members/$ref", graph.ref(newcomer));
    graph.send("POST", "/groups/" + group + "/owners/$ref", graph.ref(newcomer));
    backUpNow(backups);

    JsonNode job = restores.restore("groups", group, version);
    assertEquals("completed", job.get("state").asText(), job.toString());

    backUpNow(backups);
    JsonNode after = backups.latest("groups", group);
    assertEquals(properties(before), properties(after), "the group equals the chosen version again");
    assertEquals(members, strings(after.get("members"), "id"));
    assertEquals(strings(before.get("owners"), "id"), strings(after.get("owners"), "id"));
  }

  @Test
  void softDeletedUserIsUndeleted() {
    String user = cloudUsers.pop();
    backUpNow(backups);
    String version = backups.latestVersionId("users", user);
    graph.ok("DELETE", "/users/" + user, null);
    backUpNow(backups);

    JsonNode plan = restores.plan("users", user, version);
    assertEquals("undelete", plan.get("action").asText(), plan.toString());
    JsonNode job = restores.restore("users", user, version);
    assertTrue(job.get("state").asText().startsWith("completed"), job.toString());
    assertEquals("undelete", job.get("restore").get("action").asText());
    assertEquals(200, graph.send("GET", "/users/" + user, null).statusCode());
  }

  @Test
  void hardDeletedUserIsRecreatedWithANewIdAndATemporaryPasswordShownOnce() {
    String user = cloudUsers.pop();
    backUpNow(backups);
    String version = backups.latestVersionId("users", user);
    JsonNode before = backups.version("users", user, version);
    graph.ok("DELETE", "/users/" + user, null);
    graph.ok("DELETE", "/directory/deletedItems/" + user, null);
    backUpNow(backups);

    JsonNode job = restores.restore("users", user, version);
    assertEquals("completed_with_skipped_items", job.get("state").asText(), job.toString());
    JsonNode details = job.get("restore");
    assertEquals("recreate", details.get("action").asText());
    String newId = details.get("newObjectId").asText();
    assertNotEquals(user, newId);
    assertTrue(details.get("temporaryPassword").asText().length() >= 16, "shown on the first read");
    JsonNode reread = node.get("/api/v1/jobs/" + job.get("id").asText(), KEY);
    assertFalse(reread.get("restore").hasNonNull("temporaryPassword"), "and never again: " + reread);

    JsonNode live = graph.ok("GET", "/users/" + newId + "?$select=displayName,userPrincipalName,jobTitle", null);
    assertEquals(before.get("userPrincipalName"), live.get("userPrincipalName"));
    assertEquals(before.path("jobTitle"), live.path("jobTitle"));

    JsonNode skipped = restores.skippedItems(job);
    assertTrue(strings(skipped, "reason").contains("read_only_property"), skipped.toString());
    var csv = node.send("GET", "/api/v1/jobs/" + job.get("id").asText() + "/skipped-items?format=csv", null, KEY);
    assertEquals(200, csv.statusCode());
    assertTrue(csv.body().startsWith("objectType,objectId,item,reason,graphCode,message\r\n"), csv.body());
    assertTrue(csv.body().contains("createdDateTime"), csv.body());
  }

  @Test
  void throttledRestoreWaitsForRetryAfterAndCompletes() {
    String user = cloudUsers.pop();
    backUpNow(backups);
    String version = backups.latestVersionId("users", user);
    graph.ok("PATCH", "/users/" + user, "{\"officeLocation\":\"Moved\"}");
    backUpNow(backups);
    simulator.admin().resetStats();
    simulator.admin().throttle(0.003, true, false);
    try {
      JsonNode job = restores.restore("users", user, version, Duration.ofSeconds(120));
      assertEquals("completed", job.get("state").asText(), job.toString());
      assertTrue(job.get("graph").get("throttled").asLong() > 0, "the job shows Graph's 429s: " + job);
      assertTrue(job.get("graph").get("requests").asLong() > job.get("graph").get("throttled").asLong(), job.toString());
    } finally {
      simulator.admin().throttle(1.0, true, false);
    }
    assertTrue(((Number) simulator.admin().stats().get("throttled429")).longValue() > 0,
        "Graph throttled the restore: " + simulator.admin().stats());
    JsonNode live = graph.ok("GET", "/users/" + user + "?$select=officeLocation", null);
    assertNotEquals("Moved", live.path("officeLocation").asText());
  }

  @Test
  void restoreAskedForDuringABackupWaitsUntilTheBackupEnds() {
    String user = cloudUsers.pop();
    backUpNow(backups);
    String version = backups.latestVersionId("users", user);
    graph.ok("PATCH", "/users/" + user, "{\"jobTitle\":\"Queued change\"}");
    simulator.admin().addFault(Faults.Kind.SLOW, 1.0, 1, "/users/delta", null, 3000);
    String backupJob = backups.startBackup();
    JsonNode accepted = restores.start("users", user, version);
    assertEquals("queued", accepted.get("state").asText(), accepted.toString());
    JsonNode restored = node.awaitJob(TestNode.jobId(accepted), KEY, Duration.ofSeconds(60));
    JsonNode backup = node.awaitJob(backupJob, KEY, Duration.ofSeconds(60));
    assertEquals("completed", restored.get("state").asText(), restored.toString());
    assertFalse(Instant.parse(restored.get("startedAt").asText())
        .isBefore(Instant.parse(backup.get("finishedAt").asText())), restored + " " + backup);
  }

  @Test
  void readOnlyConsentListsWritesAsPermissionRefused() throws Exception {
    TenantInfo fabrikam = simulator.tenants().get(1);
    String fabrikamId = deployment.addAuthorizedTenant(fabrikam);
    BackedUpDirectory fabrikamBackups = new BackedUpDirectory(node, simulator, fabrikam.id(), fabrikamId, KEY);
    SimulatorGraph fabrikamGraph = new SimulatorGraph(simulator, fabrikam.id());
    String user = fabrikamGraph.ok("GET", "/users?$select=id,onPremisesSyncEnabled,userType,userPrincipalName"
        + "&$top=999", null).get("value").findValues("id").stream().map(JsonNode::asText)
        .filter(id -> {
          JsonNode u = fabrikamGraph.ok("GET", "/users/" + id + "?$select=onPremisesSyncEnabled,userPrincipalName",
              null);
          return !u.path("onPremisesSyncEnabled").asBoolean(false)
              && !u.path("userPrincipalName").asText().startsWith("admin@");
        }).findFirst().orElseThrow();
    backUpNow(fabrikamBackups);
    String version = fabrikamBackups.latestVersionId("users", user);
    fabrikamGraph.ok("PATCH", "/users/" + user, "{\"jobTitle\":\"Read-only test\"}");
    backUpNow(fabrikamBackups);

    simulator.admin().consent(fabrikam.id(), TestNode.CLIENT_ID,
        List.of("User.Read.All", "Group.Read.All", "RoleManagement.Read.Directory", "Directory.Read.All"));
    simulator.admin().advanceClock(Duration.ofHours(2)); // tokens with the old permissions expire

    TenantRestores fabrikamRestores = new TenantRestores(node, fabrikamId, KEY);
    JsonNode job = fabrikamRestores.restore("users", user, version);
    assertEquals("completed_with_skipped_items", job.get("state").asText(), job.toString());
    JsonNode skipped = fabrikamRestores.skippedItems(job);
    JsonNode refused = skipped.get(0);
    assertEquals("permission_refused", refused.get("reason").asText(), skipped.toString());
    assertEquals("Authorization_RequestDenied", refused.get("graphCode").asText(), skipped.toString());
    assertEquals("Read-only test", fabrikamGraph.ok("GET", "/users/" + user + "?$select=jobTitle", null)
        .get("jobTitle").asText());
  }

  @Test
  void roleAssignmentsComeBackWithTheUserAndOnTheirOwn() {
    String user = cloudUsers.pop();
    String role = graph.ok("GET", "/roleManagement/directory/roleDefinitions", null).get("value").findValues("id")
        .stream().map(JsonNode::asText).filter(id -> !id.equals("62e90394-69f5-4237-9190-012177145e10"))
        .findFirst().orElseThrow();
    String assignment = graph.ok("POST", "/roleManagement/directory/roleAssignments", "{\"principalId\":\"" + user
        + "\",\"roleDefinitionId\":\"" + role + "\",\"directoryScopeId\":\"/\"}").get("id").asText();
    backUpNow(backups);
    String userVersion = backups.latestVersionId("users", user);
    String assignmentVersion = backups.latestVersionId("roleAssignments", assignment);
    graph.ok("DELETE", "/roleManagement/directory/roleAssignments/" + assignment, null);
    backUpNow(backups);

    JsonNode plan = restores.plan("users", user, userVersion);
    assertEquals(role, plan.get("roleAssignmentsToAdd").get(0).get("roleDefinitionId").asText(), plan.toString());
    JsonNode job = restores.restore("users", user, userVersion);
    assertEquals("completed", job.get("state").asText(), job.toString());
    String filter = "/roleManagement/directory/roleAssignments?$filter=principalId%20eq%20'" + user + "'";
    JsonNode held = graph.ok("GET", filter, null).get("value");
    assertTrue(held.findValuesAsText("roleDefinitionId").contains(role), held.toString());

    graph.ok("DELETE", "/roleManagement/directory/roleAssignments/" + held.get(0).get("id").asText(), null);
    JsonNode recreated = restores.restore("roleAssignments", assignment, assignmentVersion);
    assertEquals("completed", recreated.get("state").asText(), recreated.toString());
    assertEquals("recreate", recreated.get("restore").get("action").asText());
    String newId = recreated.get("restore").get("newObjectId").asText();
    assertEquals(role, graph.ok("GET", "/roleManagement/directory/roleAssignments/" + newId, null)
        .get("roleDefinitionId").asText());
  }

  @Test
  void directoryRoleMembersFollowTheVersion() {
    String user = cloudUsers.pop();
    String role = graph.ok("GET", "/directoryRoles", null).get("value").get(0).get("id").asText();
    backUpNow(backups);
    String version = backups.latestVersionId("directoryRoles", role);
    List<String> members = strings(backups.version("directoryRoles", role, version).get("members"), "id");
    graph.ok("POST", "/directoryRoles/" + role + "/members/$ref", graph.ref(user));
    backUpNow(backups);

    JsonNode job = restores.restore("directoryRoles", role, version);
    assertEquals("completed", job.get("state").asText(), job.toString());
    JsonNode now = graph.ok("GET", "/directoryRoles/" + role + "/members?$select=id", null).get("value");
    assertEquals(members, strings(now, "id"));
  }

  // ------------------------------------------------------------------------------------------------ helpers

  /** An object's own properties as stored (no annotations, no member or owner lists). */
  private static Map<String, JsonNode> properties(JsonNode state) {
    Map<String, JsonNode> properties = new TreeMap<>();
    state.fields().forEachRemaining(field -> {
      if (!field.getKey().contains("@") && !field.getKey().equals("members") && !field.getKey().equals("owners")) {
        properties.put(field.getKey(), field.getValue());
      }
    });
    return properties;
  }

  /** A backup of the tenant that completed. */
  private static void backUpNow(BackedUpDirectory tenant) {
    JsonNode job = tenant.backUpNow(Duration.ofSeconds(60));
    assertEquals("completed", job.get("state").asText(), job.toString());
  }

  private static List<String> strings(JsonNode array) {
    return array.findValuesAsText("").isEmpty() && array.isArray()
        ? StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList()
        : List.of();
  }

  private static List<String> strings(JsonNode array, String field) {
    return array == null ? List.of() : StreamSupport.stream(array.spliterator(), false)
        .map(node -> node.path(field).asText()).sorted().toList();
  }
}
