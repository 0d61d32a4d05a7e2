package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.history.HistoryVerifyCommand;
import io.entrabackup.cluster.history.ZipHistoryCheck;
import io.entrabackup.node.download.UnzippedDownload;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.directory.Churn;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tamper-evident history end to end (cluster/HISTORY.md): two backups, the API's verification and the command's,
 * exported ZIPs checked offline, then a version row altered in Cassandra and found.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HistoryIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(20).groups(4).seed(31))
          .withAuthorizedTenant();

  private static final String KEY = TestDeployment.KEY;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient http = HttpClient.newHttpClient();
  private static TestNode node;
  private static String tenantId;
  private static String changedUser;

  @TempDir
  static Path zips;

  @BeforeAll
  static void backUpTwiceWithChangesBetween() {
    node = deployment.node();
    tenantId = deployment.tenantId();
    backUpNow();
    Map<String, Object> churn = deployment.simulator().admin().churn(deployment.tenant().id(),
        new Churn.Spec(5, "3", "1", null, null, null, null, "1", null));
    changedUser = String.valueOf(((List<?>) churn.get("usersUpdated")).get(0));
    backUpNow();
  }

  @Test
  @Order(1)
  void theApiAndTheCommandFindTheHistoryIntact() {
    HttpResponse<String> response = node.send("GET", verification(), null, KEY);
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/x-ndjson"));
    List<JsonNode> lines = lines(response.body());
    JsonNode report = lines.get(lines.size() - 1);
    assertEquals("report", report.get("event").asText(), report.toString());
    assertTrue(report.get("intact").asBoolean(), response.body());
    assertEquals(0, lines.stream().filter(line -> line.get("event").asText().equals("problem")).count());
    long versions = report.get("versions").asLong();
    assertTrue(versions > report.get("objects").asLong(), "the second backup added versions: " + report);
    assertEquals(versions, report.get("chained").asLong(), "every version written by this node is chained");
    assertEquals(0, report.get("unchained").asLong());

    Verified command = verify("--tenant", tenantId);
    assertEquals(0, command.status(), command.out());
    assertTrue(command.out().contains(versions + " versions (" + versions + " chained"), command.out());
  }

  @Test
  @Order(2)
  void verificationIsAReadOfTheCallersOwnTenants() {
    String otherKey = node.ok(node.send("POST", "/api/v1/accounts",
        "{\"id\":\"other-history\",\"displayName\":\"Other MSP\"}", KEY), 201).get("apiKey").get("key").asText();
    HttpResponse<String> other = node.send("GET", verification(), null, otherKey);
    assertEquals(404, other.statusCode(), other.body());
    assertTrue(other.body().contains("\"status\""), "a problem document: " + other.body());
    assertEquals(401, node.send("GET", verification(), null, null).statusCode());
    assertEquals(404, node.send("GET", "/api/v1/tenants/" + UUID.randomUUID() + "/history/verification", null, KEY)
        .statusCode());
  }

  @Test
  @Order(3)
  void exportedZipsCarryTheirChainAndAreCheckedOffline() throws Exception {
    Path history = save("history.zip", download("{\"scope\":\"object\",\"type\":\"users\",\"objectId\":\""
        + changedUser + "\"}"));
    ZipHistoryCheck.Result objectHistory = ZipHistoryCheck.check(history);
    assertTrue(objectHistory.intact(), objectHistory.problems().toString());
    assertEquals(2, objectHistory.files());
    assertEquals(1, objectHistory.links(), "the second version's link is recomputed from the first's");
    assertEquals(1, objectHistory.heads());

    byte[] tenantZip = download("{\"scope\":\"tenant\"}");
    UnzippedDownload unzipped = UnzippedDownload.of(tenantZip).verifyManifest();
    unzipped.manifest().get("files").forEach(file -> assertEquals(64, file.get("chainHash").asText().length()));
    Path tenant = save("tenant.zip", tenantZip);
    ZipHistoryCheck.Result whole = ZipHistoryCheck.check(tenant);
    assertTrue(whole.intact(), whole.problems().toString());
    assertEquals(unzipped.files().size(), whole.files());
    assertEquals(whole.files(), whole.heads());
    Verified command = verify("--zip", tenant.toString());
    assertEquals(0, command.status(), command.out());

    // The newer version's content hash changed in the manifest, as a forger fitting an edited file would have to (the
    // hash is keyed: a file is proven against it online): its link no longer follows from the version before it.
    UnzippedDownload historyFiles = UnzippedDownload.of(Files.readAllBytes(history)).verifyManifest();
    JsonNode newer = null;
    for (JsonNode file : historyFiles.manifest().get("files")) {
      if (file.hasNonNull("previousVersion")) {
        newer = file;
      }
    }
    assertTrue(newer != null, historyFiles.manifest().toString());
    ((ObjectNode) newer).put("contentHash", "0".repeat(64));
    Path altered = save("altered.zip", zip(historyFiles));
    ZipHistoryCheck.Result caught = ZipHistoryCheck.check(altered);
    assertEquals(1, caught.problems().size(), caught.problems().toString());
    assertTrue(caught.problems().get(0).contains("chain hash"), caught.problems().toString());
    assertEquals(1, verify("--zip", altered.toString()).status());
  }

  @Test
  @Order(4)
  void anAlteredVersionRowIsABreakForTheApiAndTheCommand() {
    try (CqlSession cql = CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", 9042))
        .withLocalDatacenter("datacenter1").build()) {
      String keyspace = deployment.cassandra().keyspace();
      var oldest = cql.execute(SimpleStatement.newInstance("SELECT version_id FROM " + keyspace
          + ".snapshot_versions WHERE tenant_id = ? AND object_type = 'users' AND object_id = ?"
          + " ORDER BY version_id ASC LIMIT 1", tenantId, changedUser)).one().getUuid(0);
      cql.execute(SimpleStatement.newInstance("UPDATE " + keyspace + ".snapshot_versions SET removed = 'deleted'"
          + " WHERE tenant_id = ? AND object_type = 'users' AND object_id = ? AND version_id = ?", tenantId,
          changedUser, oldest));

      List<JsonNode> lines = lines(node.send("GET", verification(), null, KEY).body());
      List<JsonNode> problems = lines.stream().filter(line -> line.get("event").asText().equals("problem")).toList();
      assertEquals(1, problems.size(), lines.toString());
      assertEquals("break", problems.get(0).get("kind").asText());
      assertEquals(changedUser, problems.get(0).get("objectId").asText());
      assertEquals(oldest.toString(), problems.get(0).get("versionId").asText());
      JsonNode report = lines.get(lines.size() - 1);
      assertFalse(report.get("intact").asBoolean(), report.toString());
      assertEquals(1, report.get("breaks").asLong());

      Verified command = verify("--tenant", tenantId);
      assertEquals(1, command.status(), command.out());
      assertTrue(command.out().contains("BREAK users " + changedUser + " version " + oldest), command.out());
    }
  }

  private static String verification() {
    return "/api/v1/tenants/" + tenantId + "/history/verification";
  }

  private static List<JsonNode> lines(String body) {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : body.split("\n")) {
      try {
        lines.add(JSON.readTree(line));
      } catch (IOException e) {
        throw new AssertionError("not a JSON line: " + line, e);
      }
    }
    return lines;
  }

  private static void backUpNow() {
    JsonNode job = deployment.backups().backUpNow(Duration.ofSeconds(60));
    assertEquals("completed", job.get("state").asText(), job.toString());
  }

  private static byte[] download(String body) throws IOException, InterruptedException {
    String jobId = node.ok(node.send("POST", "/api/v1/tenants/" + tenantId + "/downloads", body, KEY), 202)
        .get("id").asText();
    JsonNode[] job = new JsonNode[1];
    node.await(Duration.ofSeconds(60), () -> {
      job[0] = node.get("/api/v1/jobs/" + jobId, KEY);
      // The state follows the build's events a moment after its link is there: both, as System Status shows them.
      assertTrue(List.of("completed", "failed").contains(job[0].get("state").asText()), job[0].toString());
      assertTrue(job[0].get("state").asText().equals("failed") || job[0].path("download").has("link"),
          job[0].toString());
    });
    assertEquals("completed", job[0].get("state").asText(), job[0].toString());
    HttpResponse<byte[]> zip = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port
        + job[0].get("download").get("link").asText())).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, zip.statusCode());
    return zip.body();
  }

  private static Path save(String name, byte[] bytes) throws IOException {
    return Files.write(zips.resolve(name), bytes);
  }

  private static byte[] zip(UnzippedDownload download) throws IOException {
    var out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (var file : download.files().entrySet()) {
        zip.putNextEntry(new ZipEntry(file.getKey()));
        zip.write(file.getValue());
      }
      zip.putNextEntry(new ZipEntry("manifest.json"));
      zip.write(JSON.writeValueAsBytes(download.manifest()));
    }
    return out.toByteArray();
  }

  private record Verified(int status, String out) {}

  private static Verified verify(String... args) {
    var out = new ByteArrayOutputStream();
    int status = HistoryVerifyCommand.run(deployment.cassandra().nodeConfig(), List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    return new Verified(status, out.toString(StandardCharsets.UTF_8));
  }
}
