package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Four-eyes end to end against the real simulator and Cassandra: under the account's settings, restores of privileged
 * objects (and, when chosen, every restore) and whole-tenant downloads are created awaiting approval, block no
 * backup, and run only once a second key of the account approves them; the requesting key, and any key of another
 * account, cannot; rejected and expired requests write nothing. The requests are made by a key of their own: the
 * bootstrap key made the approving key, so it could not be the second pair of eyes on its own requests
 * ({@link FourEyesOneKeyIT}).
 */
class FourEyesIT {

  private static final String PRIVILEGED_AUTH_ADMIN = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13";
  private static final String GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
  private static final String KEY = TestDeployment.KEY;
  private static final Duration MAX = Duration.ofSeconds(60);

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(30).groups(12).seed(31))
          .beforeAuthorizing(simulator -> simulator.admin().grantDirectoryRole(simulator.tenants().get(0).id(),
              TestNode.CLIENT_ID, PRIVILEGED_AUTH_ADMIN))
          .withAuthorizedTenant();

  private static TestNode node;
  private static SimulatorGraph graph;
  private static BackedUpDirectory backups;
  private static TenantRestores restores;
  private static String account;
  private static String approverKey;
  private static String approverKeyId;
  private static String requesterKey;
  private static String globalAdminRole;
  private static final Deque<String> users = new ArrayDeque<>();
  private static final Deque<String> groups = new ArrayDeque<>();

  @BeforeAll
  static void secondKeyAndObjects() {
    node = deployment.node();
    graph = deployment.graph();
    backups = deployment.backups();
    account = node.get("/api/v1/tenants/" + deployment.tenantId(), KEY).get("account").asText();
    JsonNode created = node.ok(node.send("POST", "/api/v1/accounts/" + account + "/keys",
        "{\"name\":\"approver\",\"scopes\":[\"read\",\"operate\",\"restore\"]}",
        KEY), 201);
    approverKey = created.get("key").asText();
    approverKeyId = created.get("keyId").asText();
    requesterKey = node.ok(node.send("POST", "/api/v1/accounts/" + account + "/keys",
        "{\"name\":\"requester\",\"scopes\":[\"read\",\"operate\",\"restore\"]}", KEY), 201).get("key").asText();
    restores = new TenantRestores(node, deployment.tenantId(), requesterKey);
    graph.ok("GET", "/users?$select=id,userPrincipalName,onPremisesSyncEnabled,userType&$top=999", null).get("value")
        .forEach(user -> {
          if (!user.path("onPremisesSyncEnabled").asBoolean(false) && "Member".equals(user.path("userType").asText())
              && !user.path("userPrincipalName").asText().startsWith("admin@")) {
            users.add(user.get("id").asText());
          }
        });
    graph.ok("GET", "/groups?$select=id,groupTypes,mailEnabled,securityEnabled,onPremisesSyncEnabled,"
        + "isAssignableToRole&$top=999", null).get("value").forEach(group -> {
          String types = group.path("groupTypes").toString();
          boolean security = group.path("securityEnabled").asBoolean(false) && !group.path("mailEnabled").asBoolean();
          if (!types.contains("DynamicMembership") && (types.contains("Unified") || security)
              && !group.path("onPremisesSyncEnabled").asBoolean(false)
              && !group.path("isAssignableToRole").asBoolean(false)) {
            groups.add(group.get("id").asText());
          }
        });
    globalAdminRole = StreamSupport.stream(graph.ok("GET", "/directoryRoles", null).get("value").spliterator(), false)
        .filter(role -> GLOBAL_ADMIN.equals(role.path("roleTemplateId").asText()))
        .map(role -> role.get("id").asText()).findFirst().orElseThrow();
    assertTrue(users.size() >= 6 && groups.size() >= 2, users + " " + groups);
  }

  @BeforeEach
  void privilegedRestoresOnly() {
    settings(true, false, false, "PT24H");
  }

  @Test
  void settingsAreTheAccountsOwnAndValidated() {
    JsonNode current = node.get("/api/v1/accounts/" + account + "/settings", KEY).get("fourEyes");
    assertTrue(current.get("privilegedRestores").asBoolean(), current.toString());
    assertEquals("PT24H", current.get("approvalWindow").asText());
    String other = node.createAccount("foureyes-other");
    assertEquals(404, node.send("GET", "/api/v1/accounts/" + account + "/settings", null, other).statusCode());
    assertEquals(404, node.send("PUT", "/api/v1/accounts/" + account + "/settings",
        "{\"fourEyes\":{\"everyRestore\":false}}", other).statusCode());
    var bad = node.send("PUT", "/api/v1/accounts/" + account + "/settings",
        "{\"fourEyes\":{\"approvalWindow\":\"P30D\"}}", KEY);
    assertEquals(400, bad.statusCode(), bad.body());
    assertTrue(bad.body().contains("approvalWindow"), bad.body());
  }

  @Test
  void aPrivilegedRestoreWaitsBlocksNoBackupAndRunsOnceASecondKeyApprovesIt() {
    String user = users.pop();
    backUpNow();
    String version = backups.latestVersionId("directoryRoles", globalAdminRole);
    List<String> members = ids(backups.version("directoryRoles", globalAdminRole, version).get("members"));
    graph.ok("POST", "/directoryRoles/" + globalAdminRole + "/members/$ref", graph.ref(user));
    backUpNow();

    JsonNode asked = restores.start("directoryRoles", globalAdminRole, version);
    assertEquals("awaiting_approval", asked.get("state").asText(), asked.toString());
    assertTrue(asked.get("approval").get("reason").asText().contains("Global Administrator"), asked.toString());
    String job = asked.get("id").asText();
    String requester = asked.get("approval").get("requestedBy").asText();
    assertNotEquals(approverKeyId, requester);

    JsonNode shown = awaitState(job, "awaiting_approval");
    assertEquals(requester, shown.get("approval").get("requestedBy").asText(), "System Status names who asked");
    backUpNow();
    assertTrue(memberIds(globalAdminRole).contains(user), "nothing is written while the restore waits");

    var own = node.send("POST", "/api/v1/jobs/" + job + "/approve", null, requesterKey);
    assertEquals(403, own.statusCode(), own.body());
    assertTrue(own.body().contains("approval-by-requester") && own.body().contains("second key"), own.body());
    var foreign = node.send("POST", "/api/v1/jobs/" + job + "/approve", null, node.createAccount("foureyes-foreign"));
    assertEquals(404, foreign.statusCode(), "another account's job does not exist for it: " + foreign.body());

    JsonNode approved = node.ok(node.send("POST", "/api/v1/jobs/" + job + "/approve", null, approverKey), 200);
    assertEquals("approved", approved.get("decision").asText(), approved.toString());
    JsonNode done = node.awaitJob(job, KEY, MAX);
    assertEquals("completed", done.get("state").asText(), done.toString());
    assertEquals(members, memberIds(globalAdminRole), "the approved restore wrote the version's members back");
    node.await(MAX, () -> {
      JsonNode approval = node.get("/api/v1/jobs/" + job, KEY).get("approval");
      assertEquals("approved", approval.path("decision").asText(), approval.toString());
      assertEquals(approverKeyId, approval.path("decidedBy").asText());
    });
    assertEquals(409, node.send("POST", "/api/v1/jobs/" + job + "/approve", null, approverKey).statusCode(),
        "an approved job does not wait any more");
  }

  @Test
  void withPrivilegedOnlyAnOrdinaryGroupRestoresAtOnce() {
    String group = groups.pop();
    backUpNow();
    String version = backups.latestVersionId("groups", group);
    graph.ok("PATCH", "/groups/" + group, "{\"description\":\"Changed by someone\"}");
    backUpNow();

    JsonNode job = restores.restore("groups", group, version);
    assertEquals("completed", job.get("state").asText(), job.toString());
    assertFalse(job.has("approval"), "it never waited: " + job);
  }

  @Test
  void everyRestoreWhenChosenAndARejectedOneWritesNothing() {
    settings(false, true, false, "PT24H");
    String group = groups.pop();
    backUpNow();
    String version = backups.latestVersionId("groups", group);
    graph.ok("PATCH", "/groups/" + group, "{\"description\":\"Changed, then kept\"}");
    backUpNow();

    JsonNode asked = restores.start("groups", group, version);
    assertEquals("awaiting_approval", asked.get("state").asText(), asked.toString());
    String job = asked.get("id").asText();
    JsonNode rejected = node.ok(node.send("POST", "/api/v1/jobs/" + job + "/reject", null, approverKey), 200);
    assertEquals("rejected", rejected.get("state").asText(), rejected.toString());
    JsonNode shown = awaitState(job, "rejected");
    assertEquals(approverKeyId, shown.get("approval").get("decidedBy").asText(), shown.toString());
    assertEquals("Changed, then kept", graph.ok("GET", "/groups/" + group + "?$select=description", null)
        .get("description").asText(), "a rejected restore writes nothing");
  }

  @Test
  void anUnapprovedRestoreExpiresAndWritesNothing() {
    settings(true, false, false, "PT10S");
    String user = users.pop();
    backUpNow();
    String version = backups.latestVersionId("directoryRoles", globalAdminRole);
    graph.ok("POST", "/directoryRoles/" + globalAdminRole + "/members/$ref", graph.ref(user));
    backUpNow();

    String job = restores.start("directoryRoles", globalAdminRole, version).get("id").asText();
    JsonNode expired = awaitState(job, "expired");
    assertEquals("expired", expired.get("approval").get("decision").asText(), expired.toString());
    assertTrue(memberIds(globalAdminRole).contains(user), "an expired restore writes nothing");
    var late = node.send("POST", "/api/v1/jobs/" + job + "/approve", null, approverKey);
    assertEquals(409, late.statusCode(), late.body());
  }

  @Test
  void aWaitingRestoreSurvivesANodeRestartAndStillExpiresOnTime() throws Exception {
    settings(false, true, false, "PT45S");
    String group = groups.pop();
    backUpNow();
    String version = backups.latestVersionId("groups", group);
    graph.ok("PATCH", "/groups/" + group, "{\"description\":\"Changed before a restart\"}");
    backUpNow();
    String job = restores.start("groups", group, version).get("id").asText();

    deployment.restartNode(() -> { });
    node = deployment.node();
    backups = deployment.backups();
    restores = new TenantRestores(node, deployment.tenantId(), requesterKey);
    awaitState(job, "awaiting_approval");
    assertEquals(403, node.send("POST", "/api/v1/jobs/" + job + "/approve", null, requesterKey).statusCode(),
        "who asked is remembered across the restart");
    JsonNode expired = awaitState(job, "expired", Duration.ofSeconds(90));
    assertFalse(expired.get("approval").has("decidedBy"), expired.toString());
    assertEquals("Changed before a restart", graph.ok("GET", "/groups/" + group + "?$select=description", null)
        .get("description").asText());
  }

  @Test
  void aTenantWideDownloadWaitsForApprovalAnOtherDownloadDoesNot() {
    settings(false, false, true, "PT24H");
    backUpNow();
    String downloads = "/api/v1/tenants/" + deployment.tenantId() + "/downloads";
    JsonNode typeDownload = node.ok(node.send("POST", downloads, "{\"scope\":\"type\",\"type\":\"users\"}", KEY), 202);
    assertEquals("running", typeDownload.get("state").asText(), typeDownload.toString());

    JsonNode asked = node.ok(node.send("POST", downloads, "{\"scope\":\"tenant\"}", requesterKey), 202);
    assertEquals("awaiting_approval", asked.get("state").asText(), asked.toString());
    String job = asked.get("id").asText();
    assertEquals(403, node.send("POST", "/api/v1/jobs/" + job + "/approve", null, requesterKey).statusCode());
    JsonNode approved = node.ok(node.send("POST", "/api/v1/jobs/" + job + "/approve", null, approverKey), 200);
    assertEquals("running", approved.get("state").asText(), approved.toString());
    JsonNode done = node.awaitJob(job, KEY, MAX);
    assertEquals("completed", done.get("state").asText(), done.toString());
    assertTrue(done.get("download").has("link"), done.toString());
    assertEquals(approverKeyId, done.get("approval").get("decidedBy").asText(), done.toString());
  }

  @Test
  void aWaitingTenantDownloadIsRejectedOrExpiresAndBuildsNothing() {
    settings(false, false, true, "PT10S");
    backUpNow();
    String downloads = "/api/v1/tenants/" + deployment.tenantId() + "/downloads";
    String rejected = node.ok(node.send("POST", downloads, "{\"scope\":\"tenant\"}", requesterKey), 202)
        .get("id").asText();
    String expiring = node.ok(node.send("POST", downloads, "{\"scope\":\"tenant\"}", requesterKey), 202)
        .get("id").asText();
    JsonNode answer = node.ok(node.send("POST", "/api/v1/jobs/" + rejected + "/reject", null, approverKey), 200);
    assertEquals("rejected", answer.get("state").asText(), answer.toString());

    JsonNode closed = awaitState(rejected, "rejected");
    assertEquals(approverKeyId, closed.get("approval").get("decidedBy").asText(), closed.toString());
    assertFalse(closed.get("download").has("link"), "nothing was built: " + closed);
    JsonNode expired = awaitState(expiring, "expired");
    assertEquals("expired", expired.get("approval").get("decision").asText(), expired.toString());
    assertFalse(expired.get("download").has("link"), expired.toString());
    assertEquals(409, node.send("POST", "/api/v1/jobs/" + expiring + "/approve", null, approverKey).statusCode());
  }

  // ------------------------------------------------------------------------------------------------ helpers

  /** The rule in force at once, whichever was before (through the API a relaxation would wait: FourEyesOneKeyIT). */
  private static void settings(boolean privileged, boolean every, boolean downloads, String window) {
    new FourEyesRows(deployment.cassandra()).set(account, privileged, every, downloads, window);
  }

  private static JsonNode awaitState(String job, String state) {
    return awaitState(job, state, MAX);
  }

  private static JsonNode awaitState(String job, String state, Duration max) {
    JsonNode[] found = new JsonNode[1];
    node.await(max, () -> {
      found[0] = node.get("/api/v1/jobs/" + job, KEY);
      assertEquals(state, found[0].get("state").asText(), found[0].toString());
    });
    return found[0];
  }

  private static void backUpNow() {
    JsonNode job = backups.backUpNow(MAX);
    assertEquals("completed", job.get("state").asText(), job.toString());
  }

  private static List<String> memberIds(String role) {
    return ids(graph.ok("GET", "/directoryRoles/" + role + "/members?$select=id", null).get("value"));
  }

  private static List<String> ids(JsonNode array) {
    return array == null ? List.of() : StreamSupport.stream(array.spliterator(), false)
        .map(node -> node.path("id").asText()).sorted().toList();
  }
}
