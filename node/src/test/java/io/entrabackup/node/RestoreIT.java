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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Restores end to end against the real simulator and Cassandra: the directory is changed through Graph, a restore
 * puts an object back to an earlier version, and a backup afterwards shows the object equal to that version in every
 * restorable property; what cannot be restored is listed with its reason.
 */
class RestoreIT {

  @RegisterExtension static final TestCassandra cassandra = new TestCassandra();

  private static final String KEY = TestNode.BOOTSTRAP_KEY;
  /** Privileged Authentication Administrator: lets the app write users who hold admin roles. */
  private static final String PRIVILEGED_AUTH_ADMIN = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13";

  private static Simulator simulator;
  private static TestNode node;
  private static TenantInfo contoso;
  private static String tenantId;
  private static SimulatorGraph graph;
  private static final Deque<String> cloudUsers = new ArrayDeque<>();
  private static final Deque<String> securityGroups = new ArrayDeque<>();

  @BeforeAll
  static void start() throws Exception {
    simulator = Simulator.start(SimulatorConfig.builder().port(0).tenants(2).users(40).groups(24).seed(23)
        .stateDir(Path.of("target", "simulator-restore-it")).build());
    contoso = simulator.tenants().get(0);
    node = TestNode.start(cassandra, simulator);
    simulator.admin().grantDirectoryRole(contoso.id(), TestNode.CLIENT_ID, PRIVILEGED_AUTH_ADMIN);
    tenantId = node.addAuthorizedTenant(simulator, contoso, KEY, false);
    graph = new SimulatorGraph(simulator, contoso.id());
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

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (simulator != null) {
      simulator.close();
    }
  }

  @Test
  void userPropertiesAndMembershipsComeBackAndASecondRestoreChangesNothing() {
    String user = cloudUsers.pop();
    String group = securityGroups.pop();
    graph.send("POST", "/groups/" + group + "/members/$ref", ref(user));
    backUpNow(tenantId);
    String version = latestVersion(tenantId, "users", user);
    JsonNode before = version(tenantId, "users", user, version);

    graph.ok("PATCH", "/users/" + user, "{\"jobTitle\":\"Changed title\",\"department\":\"Changed department\"}");
    graph.ok("DELETE", "/groups/" + group + "/members/" + user + "/$ref", null);
    backUpNow(tenantId);

    JsonNode plan = node.ok(node.send("POST", objectPath(tenantId, "users", user) + "/restore-plans",
        body(version), KEY), 200);
    assertEquals("update", plan.get("action").asText(), plan.toString());
    assertTrue(plan.get("propertiesToSet").has("jobTitle") && plan.get("propertiesToSet").has("department"),
        plan.toString());
    assertEquals(List.of(group), strings(plan.get("membershipsToAdd")), plan.toString());
    assertEquals("Changed title", graph.ok("GET", "/users/" + user + "?$select=jobTitle", null).get("jobTitle")
        .asText(), "a plan writes nothing");

    JsonNode job = restore(tenantId, "users", user, version);
    assertEquals("completed", job.get("state").asText(), job.toString());
    assertTrue(job.get("restore").get("changes").asLong() >= 3, job.toString());
    assertEquals(version, job.get("restore").get("versionId").asText());
    assertTrue(job.get("restore").get("requestedBy").asText().length() > 0, "the audit names the API key");

    JsonNode again = restore(tenantId, "users", user, version);
    assertEquals("completed", again.get("state").asText(), again.toString());
    assertEquals(0, again.get("restore").get("changes").asLong(), "a second identical restore changes nothing");

    backUpNow(tenantId);
    JsonNode after = version(tenantId, "users", user, latestVersion(tenantId, "users", user));
    assertEquals(properties(before), properties(after), "the user equals the chosen version again");
    JsonNode groupNow = version(tenantId, "groups", group, latestVersion(tenantId, "groups", group));
    assertTrue(strings(groupNow.get("members"), "id").contains(user), groupNow.toString());

    JsonNode restores = node.ok(node.send("GET", "/api/v1/jobs?kind=restore", null, KEY), 200).get("items");
    assertTrue(restores.size() >= 2 && restores.get(0).has("restore"), restores.toString());
  }

  @Test
  void groupPropertiesMembersAndOwnersComeBack() {
    String group = securityGroups.pop();
    String newcomer = cloudUsers.pop();
    backUpNow(tenantId);
    String version = latestVersion(tenantId, "groups", group);
    JsonNode before = version(tenantId, "groups", group, version);
    List<String> members = strings(before.get("members"), "id");
    assertFalse(members.isEmpty(), before.toString());

    graph.ok("PATCH", "/groups/" + group, "{\"description\":\"Changed by someone\"}");
    graph.ok("DELETE", "/groups/" + group + "/members/" + members.get(0) + "/$ref", null);
    graph.send("POST", "/groups/" + group + "/members/$ref", ref(newcomer));
    graph.send("POST", "/groups/" + group + "/owners/$ref", ref(newcomer));
    backUpNow(tenantId);

    JsonNode job = restore(tenantId, "groups", group, version);
    assertEquals("completed", job.get("state").asText(), job.toString());

    backUpNow(tenantId);
    JsonNode after = version(tenantId, "groups", group, latestVersion(tenantId, "groups", group));
    assertEquals(properties(before), properties(after), "the group equals the chosen version again");
    assertEquals(members, strings(after.get("members"), "id"));
    assertEquals(strings(before.get("owners"), "id"), strings(after.get("owners"), "id"));
  }

  @Test
  void softDeletedUserIsUndeleted() {
    String user = cloudUsers.pop();
    backUpNow(tenantId);
    String version = latestVersion(tenantId, "users", user);
    graph.ok("DELETE", "/users/" + user, null);
    backUpNow(tenantId);

    JsonNode plan = node.ok(node.send("POST", objectPath(tenantId, "users", user) + "/restore-plans",
        body(version), KEY), 200);
    assertEquals("undelete", plan.get("action").asText(), plan.toString());
    JsonNode job = restore(tenantId, "users", user, version);
    assertTrue(job.get("state").asText().startsWith("completed"), job.toString());
    assertEquals("undelete", job.get("restore").get("action").asText());
    assertEquals(200, graph.send("GET", "/users/" + user, null).statusCode());
  }

  @Test
  void hardDeletedUserIsRecreatedWithANewIdAndATemporaryPasswordShownOnce() {
    String user = cloudUsers.pop();
    backUpNow(tenantId);
    String version = latestVersion(tenantId, "users", user);
    JsonNode before = version(tenantId, "users", user, version);
    graph.ok("DELETE", "/users/" + user, null);
    graph.ok("DELETE", "/directory/deletedItems/" + user, null);
    backUpNow(tenantId);

    JsonNode job = restore(tenantId, "users", user, version);
    assertEquals("completed_with_skipped_items", job.get("state").asText(), job.toString());
    JsonNode details = job.get("restore");
    assertEquals("recreate", details.get("action").asText());
    String newId = details.get("newObjectId").asText();
    assertNotEquals(user, newId);
    assertTrue(details.get("temporaryPassword").asText().length() >= 16, "shown on the first read");
    JsonNode reread = node.ok(node.send("GET", "/api/v1/jobs/" + job.get("id").asText(), null, KEY), 200);
    assertFalse(reread.get("restore").hasNonNull("temporaryPassword"), "and never again: " + reread);

    JsonNode live = graph.ok("GET", "/users/" + newId + "?$select=displayName,userPrincipalName,jobTitle", null);
    assertEquals(before.get("userPrincipalName"), live.get("userPrincipalName"));
    assertEquals(before.path("jobTitle"), live.path("jobTitle"));

    JsonNode skipped = node.ok(node.send("GET", "/api/v1/jobs/" + job.get("id").asText() + "/skipped-items", null,
        KEY), 200).get("items");
    assertTrue(strings(skipped, "reason").contains("read_only_property"), skipped.toString());
    var csv = node.send("GET", "/api/v1/jobs/" + job.get("id").asText() + "/skipped-items?format=csv", null, KEY);
    assertEquals(200, csv.statusCode());
    assertTrue(csv.body().startsWith("objectType,objectId,item,reason,graphCode,message\r\n"), csv.body());
    assertTrue(csv.body().contains("createdDateTime"), csv.body());
  }

  @Test
  void throttledRestoreWaitsForRetryAfterAndCompletes() {
    String user = cloudUsers.pop();
    backUpNow(tenantId);
    String version = latestVersion(tenantId, "users", user);
    graph.ok("PATCH", "/users/" + user, "{\"officeLocation\":\"Moved\"}");
    backUpNow(tenantId);
    simulator.admin().resetStats();
    simulator.admin().throttle(0.003, true, false);
    try {
      JsonNode job = restore(tenantId, "users", user, version, Duration.ofSeconds(120));
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
    backUpNow(tenantId);
    String version = latestVersion(tenantId, "users", user);
    graph.ok("PATCH", "/users/" + user, "{\"jobTitle\":\"Queued change\"}");
    simulator.admin().addFault(Faults.Kind.SLOW, 1.0, 1, "/users/delta", null, 3000);
    String backupJob = node.ok(node.send("POST", "/api/v1/tenants/" + tenantId + "/backups", "", KEY), 202)
        .get("jobId").asText();
    JsonNode accepted = node.ok(node.send("POST", objectPath(tenantId, "users", user) + "/restores", body(version),
        KEY), 202);
    assertEquals("queued", accepted.get("state").asText(), accepted.toString());
    JsonNode restored = awaitJob(accepted.get("jobId").asText(), Duration.ofSeconds(60));
    JsonNode backup = awaitJob(backupJob, Duration.ofSeconds(60));
    assertEquals("completed", restored.get("state").asText(), restored.toString());
    assertFalse(Instant.parse(restored.get("startedAt").asText())
        .isBefore(Instant.parse(backup.get("finishedAt").asText())), restored + " " + backup);
  }

  @Test
  void readOnlyConsentListsWritesAsPermissionRefused() throws Exception {
    TenantInfo fabrikam = simulator.tenants().get(1);
    String fabrikamId = node.addAuthorizedTenant(simulator, fabrikam, KEY, false);
    SimulatorGraph fabrikamGraph = new SimulatorGraph(simulator, fabrikam.id());
    String user = fabrikamGraph.ok("GET", "/users?$select=id,onPremisesSyncEnabled,userType,userPrincipalName"
        + "&$top=999", null).get("value").findValues("id").stream().map(JsonNode::asText)
        .filter(id -> {
          JsonNode u = fabrikamGraph.ok("GET", "/users/" + id + "?$select=onPremisesSyncEnabled,userPrincipalName",
              null);
          return !u.path("onPremisesSyncEnabled").asBoolean(false)
              && !u.path("userPrincipalName").asText().startsWith("admin@");
        }).findFirst().orElseThrow();
    backUpNow(fabrikamId);
    String version = latestVersion(fabrikamId, "users", user);
    fabrikamGraph.ok("PATCH", "/users/" + user, "{\"jobTitle\":\"Read-only test\"}");
    backUpNow(fabrikamId);

    simulator.admin().consent(fabrikam.id(), TestNode.CLIENT_ID,
        List.of("User.Read.All", "Group.Read.All", "RoleManagement.Read.Directory", "Directory.Read.All"));
    simulator.admin().advanceClock(Duration.ofHours(2)); // tokens with the old permissions expire

    JsonNode job = restore(fabrikamId, "users", user, version);
    assertEquals("completed_with_skipped_items", job.get("state").asText(), job.toString());
    JsonNode skipped = node.ok(node.send("GET", "/api/v1/jobs/" + job.get("id").asText() + "/skipped-items", null,
        KEY), 200).get("items");
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
    backUpNow(tenantId);
    String userVersion = latestVersion(tenantId, "users", user);
    String assignmentVersion = latestVersion(tenantId, "roleAssignments", assignment);
    graph.ok("DELETE", "/roleManagement/directory/roleAssignments/" + assignment, null);
    backUpNow(tenantId);

    JsonNode plan = node.ok(node.send("POST", objectPath(tenantId, "users", user) + "/restore-plans",
        body(userVersion), KEY), 200);
    assertEquals(role, plan.get("roleAssignmentsToAdd").get(0).get("roleDefinitionId").asText(), plan.toString());
    JsonNode job = restore(tenantId, "users", user, userVersion);
    assertEquals("completed", job.get("state").asText(), job.toString());
    String filter = "/roleManagement/directory/roleAssignments?$filter=principalId%20eq%20'" + user + "'";
    JsonNode held = graph.ok("GET", filter, null).get("value");
    assertTrue(held.findValuesAsText("roleDefinitionId").contains(role), held.toString());

    graph.ok("DELETE", "/roleManagement/directory/roleAssignments/" + held.get(0).get("id").asText(), null);
    JsonNode recreated = restore(tenantId, "roleAssignments", assignment, assignmentVersion);
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
    backUpNow(tenantId);
    String version = latestVersion(tenantId, "directoryRoles", role);
    List<String> members = strings(version(tenantId, "directoryRoles", role, version).get("members"), "id");
    graph.ok("POST", "/directoryRoles/" + role + "/members/$ref", ref(user));
    backUpNow(tenantId);

    JsonNode job = restore(tenantId, "directoryRoles", role, version);
    assertEquals("completed", job.get("state").asText(), job.toString());
    JsonNode now = graph.ok("GET", "/directoryRoles/" + role + "/members?$select=id", null).get("value");
    assertEquals(members, strings(now, "id"));
  }

  // ------------------------------------------------------------------------------------------------ helpers

  /** An object's own properties as stored (no annotations, no member or owner lists). */
  private static Map<String, JsonNode> properties(JsonNode state) {
    Map<String, JsonNode> properties = new java.util.TreeMap<>();
    state.fields().forEachRemaining(field -> {
      if (!field.getKey().contains("@") && !field.getKey().equals("members") && !field.getKey().equals("owners")) {
        properties.put(field.getKey(), field.getValue());
      }
    });
    return properties;
  }

  private static JsonNode backUpNow(String tenant) {
    String jobId = node.ok(node.send("POST", "/api/v1/tenants/" + tenant + "/backups", "", KEY), 202)
        .get("jobId").asText();
    JsonNode job = awaitJob(jobId, Duration.ofSeconds(60));
    assertEquals("completed", job.get("state").asText(), job.toString());
    return job;
  }

  private static JsonNode restore(String tenant, String type, String id, String version) {
    return restore(tenant, type, id, version, Duration.ofSeconds(60));
  }

  private static JsonNode restore(String tenant, String type, String id, String version, Duration max) {
    JsonNode accepted = node.ok(node.send("POST", objectPath(tenant, type, id) + "/restores", body(version), KEY), 202);
    return awaitJob(accepted.get("jobId").asText(), max);
  }

  private static JsonNode awaitJob(String jobId, Duration max) {
    JsonNode[] job = new JsonNode[1];
    node.await(max, () -> {
      job[0] = node.ok(node.send("GET", "/api/v1/jobs/" + jobId, null, KEY), 200);
      assertTrue(List.of("completed", "completed_with_skipped_items", "failed")
          .contains(job[0].get("state").asText()), job[0].toString());
    });
    return job[0];
  }

  private static String latestVersion(String tenant, String type, String id) {
    return node.ok(node.send("GET", objectPath(tenant, type, id) + "/versions", null, KEY), 200)
        .get("versions").get(0).get("versionId").asText();
  }

  private static JsonNode version(String tenant, String type, String id, String version) {
    return node.ok(node.send("GET", objectPath(tenant, type, id) + "/versions/" + version, null, KEY), 200);
  }

  private static String objectPath(String tenant, String type, String id) {
    return "/api/v1/tenants/" + tenant + "/objects/" + type + "/" + id;
  }

  private static String body(String version) {
    return "{\"version\":\"" + version + "\"}";
  }

  private static String ref(String id) {
    return "{\"@odata.id\":\"" + simulator.graphBaseUrl() + "/directoryObjects/" + id + "\"}";
  }

  private static List<String> strings(JsonNode array) {
    return array.findValuesAsText("").isEmpty() && array.isArray()
        ? java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList()
        : List.of();
  }

  private static List<String> strings(JsonNode array, String field) {
    return array == null ? List.of() : java.util.stream.StreamSupport.stream(array.spliterator(), false)
        .map(node -> node.path(field).asText()).sorted().toList();
  }
}
