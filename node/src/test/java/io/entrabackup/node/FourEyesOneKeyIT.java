package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Four eyes are two holders, not two keys (cluster/.../approval/ApprovingKeys, FourEyesChange), end to end against the
 * real simulator and Cassandra. One key holding {@code admin} and {@code restore} ("solo") tries each way around a
 * second key: a key it makes, a key it rotates, a key made after its request, and turning four eyes off; each is
 * refused with a 403 problem naming why, or delayed in plain view, and audited. Keys made by another key before the
 * request still approve.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FourEyesOneKeyIT {

  private static final String KEY = TestDeployment.KEY;
  private static final Duration MAX = Duration.ofSeconds(60);
  /** Long enough for a loaded machine to make keys and approve before a request expires; short enough to wait out. */
  private static final String WINDOW = "PT40S";

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(10).groups(8).seed(57))
          .withAuthorizedTenant();

  private static TestNode node;
  private static String account;
  private static String solo;
  private static String soloId;
  private static String colleague;
  private static String colleagueId;
  private static String group;
  private static String version;

  @BeforeAll
  static void soloAndAColleagueMadeByTheFirstKeyAndEveryRestoreWaiting() {
    node = deployment.node();
    account = node.get("/api/v1/tenants/" + deployment.tenantId(), KEY).get("account").asText();
    JsonNode made = makeKey(KEY, "solo", "[\"read\",\"operate\",\"restore\",\"admin\"]");
    solo = made.get("key").asText();
    soloId = made.get("keyId").asText();
    made = makeKey(KEY, "colleague", "[\"read\",\"restore\"]");
    colleague = made.get("key").asText();
    colleagueId = made.get("keyId").asText();
    JsonNode on = node.ok(putSettings(KEY, true, WINDOW), 200);
    assertFalse(on.has("pendingFourEyes"), "turning four eyes on holds at once: " + on);

    assertEquals("completed", deployment.backups().backUpNow(MAX).get("state").asText());
    group = node.get("/api/v1/tenants/" + deployment.tenantId() + "/objects/groups?limit=1", KEY)
        .get("items").get(0).get("id").asText();
    version = deployment.backups().latestVersionId("groups", group);
  }

  @Test
  @Order(1)
  void aKeyTheRequesterMadeCannotApproveNorCanTheKeyThatMadeTheRequester() {
    String second = makeKey(solo, "solo's second", "[\"read\",\"restore\"]").get("key").asText();
    String job = askForARestore(solo);
    HttpResponse<String> refused = approve(job, second);
    assertRefusedAsRelated(refused, "made or rotated by key " + soloId);

    String bySecond = askForARestore(second);
    assertRefusedAsRelated(approve(bySecond, solo), "was made or rotated by this key " + soloId);

    assertEquals("approved", node.ok(approve(job, colleague), 200).get("decision").asText(),
        "a key another key made before the request still approves");
    assertAudited(job, "refused", 403);
  }

  @Test
  @Order(2)
  void aKeyMadeAfterTheRequestCannotApproveIt() {
    String job = askForARestore(solo);
    String late = makeKey(KEY, "made after the request", "[\"read\",\"restore\"]").get("key").asText();
    assertRefusedAsRelated(approve(job, late), "after this job was asked for");
    node.ok(node.send("POST", "/api/v1/jobs/" + job + "/reject", null, colleague), 200);
  }

  @Test
  @Order(3)
  void aKeyTheRequesterRotatedIsItsOwnNowAndOneRotatedAfterTheRequestIsNew() {
    String job = askForARestore(solo);
    String taken = node.ok(node.send("POST", "/api/v1/accounts/" + account + "/keys/" + colleagueId + "/rotate", null,
        solo), 200).get("key").asText();
    assertRefusedAsRelated(approve(job, taken), "made or rotated by key " + soloId);

    // Taking it back: a rotation by a key solo does not know gives the colleague a secret solo lacks, but one issued
    // after the request, so it is no second pair of eyes on this one either.
    colleague = node.ok(node.send("POST", "/api/v1/accounts/" + account + "/keys/" + colleagueId + "/rotate", null,
        KEY), 200).get("key").asText();
    assertRefusedAsRelated(approve(job, colleague), "after this job was asked for");
    node.ok(node.send("POST", "/api/v1/jobs/" + job + "/reject", null, colleague), 200);
  }

  @Test
  @Order(4)
  void turningFourEyesOffWaitsTheApprovalWindowInPlainViewThenHolds() {
    Instant asked = Instant.now();
    JsonNode answer = node.ok(putSettings(solo, false, "PT10S"), 202);
    assertTrue(answer.get("fourEyes").get("everyRestore").asBoolean(), "still in force: " + answer);
    assertEquals(WINDOW, answer.get("fourEyes").get("approvalWindow").asText(), answer.toString());
    JsonNode pending = answer.get("pendingFourEyes");
    assertFalse(pending.get("fourEyes").get("everyRestore").asBoolean(), answer.toString());
    assertEquals(soloId, pending.get("requestedBy").asText(), answer.toString());
    Instant from = Instant.parse(pending.get("from").asText());
    assertTrue(!from.isBefore(asked.plusSeconds(40)) && from.isBefore(Instant.now().plusSeconds(41)), answer.toString());
    assertEquals(pending, node.get("/api/v1/accounts/" + account + "/settings", KEY)
        .get("pendingFourEyes"), "GET shows it too");

    String waiting = askForARestore(solo);
    assertAuditedSettings(202);

    node.await(Duration.ofSeconds(90), () -> {
      JsonNode now = node.get("/api/v1/accounts/" + account + "/settings", KEY);
      assertFalse(now.get("fourEyes").get("everyRestore").asBoolean(), now.toString());
      assertFalse(now.has("pendingFourEyes"), now.toString());
    });
    JsonNode atOnce = node.ok(node.send("POST", restoresPath(), "{\"version\":\"" + version + "\"}", solo), 202);
    assertFalse("awaiting_approval".equals(atOnce.get("state").asText()), "no longer waits: " + atOnce);
    String before = node.get("/api/v1/jobs/" + waiting, KEY).get("state").asText();
    assertTrue(before.equals("awaiting_approval") || before.equals("expired"),
        "a request made while the rule held never runs without a second key: " + before);

    JsonNode back = node.ok(putSettings(solo, true, WINDOW), 200);
    assertFalse(back.has("pendingFourEyes"), back.toString());
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static JsonNode makeKey(String by, String name, String scopes) {
    return node.ok(node.send("POST", "/api/v1/accounts/" + account + "/keys",
        "{\"name\":\"" + name + "\",\"scopes\":" + scopes + "}", by), 201);
  }

  private static HttpResponse<String> putSettings(String key, boolean everyRestore, String window) {
    return node.send("PUT", "/api/v1/accounts/" + account + "/settings",
        "{\"fourEyes\":{\"everyRestore\":" + everyRestore + ",\"approvalWindow\":\"" + window + "\"}}", key);
  }

  private static String restoresPath() {
    return "/api/v1/tenants/" + deployment.tenantId() + "/objects/groups/" + group + "/restores";
  }

  /** A restore that waits for approval, listed with its request (what an approval is checked against). */
  private static String askForARestore(String key) {
    JsonNode asked = node.ok(node.send("POST", restoresPath(), "{\"version\":\"" + version + "\"}", key), 202);
    assertEquals("awaiting_approval", asked.get("state").asText(), asked.toString());
    String job = asked.get("id").asText();
    node.await(MAX, () -> assertTrue(node.get("/api/v1/jobs/" + job, KEY).has("approval")));
    return job;
  }

  private static HttpResponse<String> approve(String job, String key) {
    return node.send("POST", "/api/v1/jobs/" + job + "/approve", null, key);
  }

  private static void assertRefusedAsRelated(HttpResponse<String> refused, String why) {
    assertEquals(403, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("approval-by-related-key"), refused.body());
    assertTrue(refused.body().contains(why), refused.body());
  }

  /** The trail holds the refused approval of {@code job}, with its status. */
  private static void assertAudited(String job, String outcome, int status) {
    node.await(MAX, () -> {
      JsonNode items = node.get("/api/v1/audit?action=job.approved&limit=50", KEY).get("items");
      boolean found = false;
      for (JsonNode record : items) {
        found |= job.equals(record.path("target").path("job").asText())
            && outcome.equals(record.path("outcome").asText()) && record.path("status").asInt() == status;
      }
      assertTrue(found, items.toString());
    });
  }

  private static void assertAuditedSettings(int status) {
    node.await(MAX, () -> {
      JsonNode items = node.get("/api/v1/audit?action=settings.changed&limit=50", KEY).get("items");
      boolean found = false;
      for (JsonNode record : items) {
        found |= soloId.equals(record.path("keyId").asText()) && record.path("status").asInt() == status;
      }
      assertTrue(found, items.toString());
    });
  }
}
