package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrabackup.node.download.UnzippedDownload;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import io.entrabackup.simulator.directory.Churn;
import io.entrabackup.testing.MovableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Download jobs end to end: a simulated tenant backed up into the real Cassandra, downloaded over HTTP at
 * each scope, unzipped and compared with what the simulator held at the time, and its signed link
 * refused when expired, altered or used by another account; Range requests resume.
 */
class DownloadIT {

  private static final MovableClock clock = MovableClock.running();

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(30).groups(5).seed(23))
          .nodeClock(clock)
          // Small chunks, so even a small tenant's ZIP spans several and Range requests cross chunk borders.
          .nodeSettings("entra-backup.download.chunk-size = 4k")
          .withAuthorizedTenant();

  private static final String KEY = TestDeployment.KEY;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient http = HttpClient.newHttpClient();

  private static Simulator simulator;
  private static TestNode node;
  private static TenantInfo contoso;
  private static String tenantId;
  private static String firstRun;
  /** The simulator's objects right after the first backup, by id. */
  private static final Map<String, Map<String, Object>> atFirstRun = new HashMap<>();
  private static UnzippedDownload firstTenantZip;

  @BeforeAll
  static void backUpAndDownloadTheTenant() throws Exception {
    simulator = deployment.simulator();
    node = deployment.node();
    contoso = deployment.tenant();
    tenantId = deployment.tenantId();
    firstRun = backUpNow();
    firstTenantZip = download("{\"scope\":\"tenant\"}", KEY);
    for (String type : List.of("users", "groups")) {
      firstTenantZip.objects(type).keySet().forEach(id -> atFirstRun.put(id, simulator.admin().object(contoso.id(), id)));
    }
  }

  @Test
  void aTenantDownloadHoldsEveryObjectAsTheSimulatorHadIt() {
    firstTenantZip.verifyManifest();
    Map<String, JsonNode> users = firstTenantZip.objects("users");
    Map<String, JsonNode> groups = firstTenantZip.objects("groups");
    assertEquals(contoso.users(), users.size());
    assertEquals(contoso.groups(), groups.size());
    users.forEach((id, file) -> assertSameAsSimulator(atFirstRun.get(id), file));
    groups.forEach((id, file) -> assertSameAsSimulator(atFirstRun.get(id), file));
    assertFalse(firstTenantZip.objects("roleDefinitions").isEmpty(), "roles and admins are in the tenant ZIP");
    assertFalse(firstTenantZip.objects("directoryRoles").isEmpty());
    JsonNode manifest = firstTenantZip.manifest();
    assertEquals(tenantId, manifest.get("tenant").get("id").asText());
    assertEquals("tenant", manifest.get("scope").get("scope").asText());
    assertEquals(List.of(firstRun), listOf(manifest.get("backupRuns")));
    for (String type : List.of("users", "groups", "directoryRoles", "roleDefinitions", "roleAssignments")) {
      assertTrue(manifest.get("counts").has(type), "counts has " + type);
    }
  }

  @Test
  void aDownloadAsOfAnEarlierRunShowsTheDirectoryAsItWasThen() throws Exception {
    Map<String, Object> churn = simulator.admin().churn(contoso.id(),
        new Churn.Spec(7, "3", "2", null, null, null, null, "1", null));
    List<String> updated = strings(churn.get("usersUpdated"));
    List<String> deleted = strings(churn.get("usersDeleted"));
    backUpNow();

    UnzippedDownload latest = download("{\"scope\":\"type\",\"type\":\"users\"}", KEY).verifyManifest();
    Map<String, JsonNode> latestUsers = latest.objects("users");
    deleted.forEach(id -> assertFalse(latestUsers.containsKey(id), "deleted user " + id + " is left out"));
    updated.forEach(id -> assertSameAsSimulator(simulator.admin().object(contoso.id(), id), latestUsers.get(id)));

    UnzippedDownload withDeleted = download("{\"scope\":\"type\",\"type\":\"users\",\"includeDeleted\":true}", KEY)
        .verifyManifest();
    deleted.forEach(id -> assertTrue(withDeleted.objects("users").containsKey(id), "includeDeleted keeps " + id));

    UnzippedDownload asOfFirst = download("{\"scope\":\"tenant\",\"runId\":\"" + firstRun + "\"}", KEY)
        .verifyManifest();
    assertEquals(firstTenantZip.files().keySet(), asOfFirst.files().keySet(), "the same objects as then");
    firstTenantZip.files().forEach((path, bytes) ->
        assertArrayEquals(bytes, asOfFirst.files().get(path), path + " as it was at the first run"));
    assertEquals(List.of(firstRun), listOf(asOfFirst.manifest().get("backupRuns")));

    // All versions of a changed user: the first run's state, then today's.
    String changed = updated.get(0);
    UnzippedDownload history = download("{\"scope\":\"object\",\"type\":\"users\",\"objectId\":\"" + changed + "\"}",
        KEY).verifyManifest();
    assertEquals(2, history.files().size(), history.files().keySet().toString());
    List<String> paths = new ArrayList<>(history.files().keySet());
    assertArrayEquals(firstTenantZip.files().get("users/" + changed + ".json"), history.files().get(paths.get(0)));
    assertSameAsSimulator(simulator.admin().object(contoso.id(), changed), parse(history.files().get(paths.get(1))));

    String firstVersion = history.manifest().get("files").get(0).get("versionId").asText();
    UnzippedDownload one = download("{\"scope\":\"object\",\"type\":\"users\",\"objectId\":\"" + changed
        + "\",\"versionId\":\"" + firstVersion + "\"}", KEY).verifyManifest();
    assertEquals(Set.of("users/" + changed + ".json"), one.files().keySet());
  }

  @Test
  void groupsCarryTheirMembersAndOwnersAsGraphReferences() {
    firstTenantZip.objects("groups").forEach((id, group) -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> members = (Map<String, Object>) atFirstRun.get(id).get("members");
      Set<String> ids = new HashSet<>();
      group.path("members").forEach(reference -> {
        assertTrue(reference.get("@odata.type").asText().startsWith("#microsoft.graph."), reference.toString());
        ids.add(reference.get("id").asText());
      });
      assertEquals(new HashSet<>(strings(members.get("ids"))), ids, "members of group " + id);
    });
  }

  @Test
  void aLinkIsRefusedWhenAlteredOrUsedByAnotherAccountAndGoneWhenExpired() throws Exception {
    JsonNode job = startAndAwait("{\"scope\":\"type\",\"type\":\"groups\"}", KEY);
    String link = job.get("download").get("link").asText();
    assertEquals(200, get(link, null, Map.of()).statusCode());

    String otherKey = otherAccountKey();
    assertEquals(403, get(link, otherKey, Map.of()).statusCode(), "another account's key");
    assertEquals(200, get(link, KEY, Map.of()).statusCode(), "our own key with the link");
    String signature = link.substring(link.indexOf("signature=") + "signature=".length());
    String flipped = (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1);
    assertEquals(403, get(link.replace(signature, flipped), null, Map.of()).statusCode(), "altered signature");
    long expires = Long.parseLong(link.replaceAll(".*expires=(\\d+).*", "$1"));
    assertEquals(403, get(link.replace("expires=" + expires, "expires=" + (expires + 86400)), null, Map.of())
        .statusCode(), "a longer life written into the link");
    String otherJob = startAndAwait("{\"scope\":\"type\",\"type\":\"users\"}", KEY).get("id").asText();
    assertEquals(403, get(link.replace(job.get("id").asText(), otherJob), null, Map.of()).statusCode(),
        "this link's signature on another job");
    assertEquals(404, node.send("POST", "/api/v1/tenants/" + tenantId + "/downloads", "{\"scope\":\"tenant\"}",
        otherKey).statusCode(), "another account's tenant is not found");

    clock.advance(Duration.ofDays(7).plusMinutes(1));
    try {
      var expired = get(link, null, Map.of());
      assertEquals(410, expired.statusCode());
      assertTrue(new String(expired.body()).contains("expired"), new String(expired.body()));
      JsonNode later = node.ok(node.send("GET", "/api/v1/jobs/" + job.get("id").asText(), null, KEY), 200);
      assertFalse(later.get("download").has("link"), "an expired download shows no link: " + later);
    } finally {
      clock.reset();
    }
  }

  @Test
  void rangeRequestsAnswerTheRightBytesSoDownloadsResume() throws Exception {
    JsonNode job = startAndAwait("{\"scope\":\"tenant\"}", KEY);
    String link = job.get("download").get("link").asText();
    var whole = get(link, null, Map.of());
    byte[] all = whole.body();
    assertEquals(job.get("download").get("sizeBytes").asLong(), all.length);
    assertEquals(job.get("download").get("sha256").asText(), UnzippedDownload.sha256(all));
    assertEquals("bytes", whole.headers().firstValue("Accept-Ranges").orElse(""));
    assertTrue(all.length > 3 * 4096, "spans several chunks: " + all.length);

    var middle = get(link, null, Map.of("Range", "bytes=4000-8200"));
    assertEquals(206, middle.statusCode());
    assertEquals("bytes 4000-8200/" + all.length, middle.headers().firstValue("Content-Range").orElse(""));
    assertArrayEquals(Arrays.copyOfRange(all, 4000, 8201), middle.body());

    var resumed = get(link, null, Map.of("Range", "bytes=5000-", "If-Range", "\"" + job.get("download").get("sha256")
        .asText() + "\""));
    assertEquals(206, resumed.statusCode());
    assertArrayEquals(Arrays.copyOfRange(all, 5000, all.length), resumed.body());

    var tail = get(link, null, Map.of("Range", "bytes=-100"));
    assertArrayEquals(Arrays.copyOfRange(all, all.length - 100, all.length), tail.body());

    var stale = get(link, null, Map.of("Range", "bytes=5000-", "If-Range", "\"not-this-file\""));
    assertEquals(200, stale.statusCode(), "a stale partial copy gets the whole file");
    assertArrayEquals(all, stale.body());

    var beyond = get(link, null, Map.of("Range", "bytes=" + all.length + "-"));
    assertEquals(416, beyond.statusCode());
    assertEquals("bytes */" + all.length, beyond.headers().firstValue("Content-Range").orElse(""));
  }

  @Test
  void systemStatusListsDownloadsWithProgressAndWhoFetchedThem() throws Exception {
    JsonNode job = startAndAwait("{\"scope\":\"type\",\"type\":\"users\"}", KEY);
    get(job.get("download").get("link").asText(), KEY, Map.of("Range", "bytes=0-9"));
    JsonNode shown = node.ok(node.send("GET", "/api/v1/jobs/" + job.get("id").asText(), null, KEY), 200);
    JsonNode progress = shown.get("progress");
    assertEquals(progress.get("objectsTotal").asLong(), progress.get("objectsWritten").asLong(), shown.toString());
    assertTrue(progress.get("objectsWritten").asLong() >= 1, shown.toString());
    JsonNode access = shown.get("download").get("accesses").get(0);
    assertEquals("account:msp", access.get("by").asText(), shown.toString());
    assertEquals("bytes=0-9", access.get("range").asText());

    JsonNode list = node.ok(node.send("GET", "/api/v1/jobs?kind=download", null, KEY), 200).get("items");
    assertTrue(list.size() >= 1);
    list.forEach(item -> assertEquals("download", item.get("kind").asText()));
    assertTrue(list.toString().contains(job.get("id").asText()));
  }

  @Test
  void badRequestsAreProblems() {
    for (String body : List.of("{}", "{\"scope\":\"everything\"}", "{\"scope\":\"type\"}",
        "{\"scope\":\"type\",\"type\":\"printers\"}", "{\"scope\":\"object\",\"type\":\"users\"}",
        "{\"scope\":\"tenant\",\"asOf\":\"yesterday\"}", "{\"scope\":\"tenant\",\"color\":\"red\"}")) {
      var response = node.send("POST", "/api/v1/tenants/" + tenantId + "/downloads", body, KEY);
      assertEquals(400, response.statusCode(), body + " -> " + response.body());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").contains("problem+json"));
    }
    assertEquals(404, node.send("POST", "/api/v1/tenants/" + tenantId + "/downloads",
        "{\"scope\":\"object\",\"type\":\"users\",\"objectId\":\"no-such-user\"}", KEY).statusCode());
  }

  // ------------------------------------------------------------------------------------ helpers

  /** A backup that completed; answers its job id. */
  private static String backUpNow() {
    JsonNode job = deployment.backups().backUpNow(Duration.ofSeconds(60));
    assertEquals("completed", job.get("state").asText(), job.toString());
    return job.get("id").asText();
  }

  /** Starts a download and waits until System Status shows it ready. */
  static JsonNode startAndAwait(String body, String key) {
    JsonNode accepted = node.ok(node.send("POST", "/api/v1/tenants/" + tenantId + "/downloads", body, key), 202);
    assertEquals("download", accepted.get("kind").asText(), accepted.toString());
    String jobId = accepted.get("id").asText();
    JsonNode[] job = new JsonNode[1];
    node.await(Duration.ofSeconds(60), () -> {
      job[0] = node.ok(node.send("GET", "/api/v1/jobs/" + jobId, null, key), 200);
      assertTrue(List.of("completed", "failed").contains(job[0].get("state").asText()), job[0].toString());
      assertTrue(job[0].get("state").asText().equals("failed") || job[0].path("download").has("link"),
          job[0].toString());
    });
    assertEquals("completed", job[0].get("state").asText(), job[0].toString());
    return job[0];
  }

  private static UnzippedDownload download(String body, String key) throws IOException {
    JsonNode job = startAndAwait(body, key);
    var response = get(job.get("download").get("link").asText(), null, Map.of());
    assertEquals(200, response.statusCode(), new String(response.body()));
    return UnzippedDownload.of(response.body());
  }

  private static HttpResponse<byte[]> get(String link, String key, Map<String, String> headers) {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + link)).GET();
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    headers.forEach(request::header);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("GET " + link + " failed", e);
    }
  }

  private static String otherAccountKey() {
    String id = "other-" + Long.toHexString(System.nanoTime());
    return node.ok(node.send("POST", "/api/v1/accounts", "{\"id\":\"" + id + "\",\"displayName\":\"Other MSP\"}", KEY),
        201).get("apiKey").get("key").asText();
  }

  /** Every property the simulator holds that the file has too is equal, and the file has the id and name. */
  private static void assertSameAsSimulator(Map<String, Object> simulated, JsonNode file) {
    @SuppressWarnings("unchecked")
    Map<String, Object> properties = (Map<String, Object>) simulated.get("properties");
    assertEquals(properties.get("id"), file.get("id").asText());
    assertTrue(file.has("displayName"), file.toString());
    properties.forEach((name, value) -> {
      if (file.has(name)) {
        assertEquals(JSON.valueToTree(value), file.get(name), name + " of " + properties.get("id"));
      }
    });
  }

  private static JsonNode parse(byte[] json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> listOf(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object list) {
    return new ArrayList<>((List<String>) list);
  }
}
