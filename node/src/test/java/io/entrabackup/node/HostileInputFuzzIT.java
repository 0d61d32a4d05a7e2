package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.node.fuzz.AccountState;
import io.entrabackup.node.fuzz.AuditTrailCheck;
import io.entrabackup.node.fuzz.FuzzCategory;
import io.entrabackup.node.fuzz.FuzzRequest;
import io.entrabackup.node.fuzz.FuzzRunner;
import io.entrabackup.node.fuzz.NodeLog;
import io.entrabackup.node.fuzz.ReadyMonitor;
import io.entrabackup.node.fuzz.Targets;
import io.entrabackup.node.fuzz.Verdict;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15's hostile input, measured: at least 10,000 malformed or adversarial requests, made from a fixed seed by
 * one small generator per kind ({@link FuzzCategory}), sent by account A (and by nobody) across every route of a
 * real node whose two accounts each protect a backed-up directory. Every answer must be 2xx for the valid controls
 * mixed in, or a 4xx problem document; never a 5xx, never internal text; the node stays ready throughout and logs
 * no ERROR line and no stack trace ({@link NodeLog}); and account B sees exactly what it saw before, its audit trail
 * included.
 *
 * <p>{@code -Dfuzz.seed=...} and {@code -Dfuzz.requests=...} run another sample (the seed is printed either way).
 */
class HostileInputFuzzIT {

  private static final long SEED = Long.getLong("fuzz.seed", 15_07_2026L);
  private static final int REQUESTS = Integer.getInteger("fuzz.requests", 12_000);
  private static final int CONCURRENCY = 8;

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(2).users(8).groups(3).seed(15))
          // A's flood is this test's point, not the rate limits' (0 = off): let every request through to the routes.
          .nodeSettings("entra-backup.http.limits.requests-per-second-per-key = 0\n"
              + "entra-backup.http.limits.requests-per-second-per-account = 0\n"
              + "entra-backup.http.limits.requests-per-second-per-address = 0\n"
              + "entra-backup.http.limits.failed-authentications-per-second-per-address = 0");

  private static TestNode node;
  private static Targets targets;
  private static String keyB;
  private static Map<String, String> accountBBefore;
  private static AuditTrailCheck.Mark trailBBefore;

  @BeforeAll
  static void twoAccountsEachProtectABackedUpDirectory() throws Exception {
    node = deployment.node();
    Simulator simulator = deployment.simulator();
    TenantInfo contoso = simulator.tenants().get(0);
    TenantInfo fabrikam = simulator.tenants().get(1);
    String keyA = node.createAccount("fuzz-a");
    keyB = node.createAccount("fuzz-b");
    Protected a = protect(simulator, keyA, contoso);
    Protected b = protect(simulator, keyB, fabrikam);
    String backupA = backUp(simulator, keyA, contoso, a.tenant());
    String backupB = backUp(simulator, keyB, fabrikam, b.tenant());

    String pending = node.ok(node.send("POST", "/api/v1/tenants", "{\"displayName\":\"Pending of A\"}", keyA), 201)
        .get("id").asText();
    String freshState = query(node.consentUrl(keyA, pending, true), "state");

    JsonNode usersA = node.get(objects(a.tenant(), "users") + "?limit=2", keyA);
    JsonNode usersB = node.get(objects(b.tenant(), "users") + "?limit=2", keyB);
    String userA = usersA.get("items").get(0).get("id").asText();
    String userB = usersB.get("items").get(0).get("id").asText();
    JsonNode downloadA = download(keyA, a.tenant());
    JsonNode downloadB = download(keyB, b.tenant());

    targets = new Targets(keyA, TestNode.BOOTSTRAP_KEY, "fuzz-a", "fuzz-b", a.tenant(), b.tenant(), pending,
        contoso.id(), fabrikam.id(), userA,
        node.get(objects(a.tenant(), "groups"), keyA).get("items").get(0).get("id").asText(), userB,
        latestVersion(keyA, a.tenant(), userA), latestVersion(keyB, b.tenant(), userB), backupA, backupB,
        downloadA.get("id").asText(), downloadB.get("id").asText(), downloadA.get("download").get("link").asText(),
        downloadB.get("download").get("link").asText(), usersA.get("next").asText(), usersB.get("next").asText(),
        firstKeyId(keyA, "fuzz-a"), firstKeyId(keyB, "fuzz-b"), List.of(a.callback(), b.callback()), freshState);
    // The dashboard list follows a tenant's consent and its backup's end a moment later (its projection): B's view
    // is compared once it has settled, or the fuzz run would be blamed for the read side catching up.
    node.await(Duration.ofSeconds(60), () -> {
      JsonNode listed = node.get("/api/v1/tenants?limit=500", keyB).get("items").get(0);
      assertEquals("authorized", listed.get("status").asText(), listed.toString());
      assertTrue(listed.hasNonNull("lastBackup"), listed.toString());
      // B's trail gets the consent from the event journal a moment later too (cluster/.../audit/AuditProjection).
      assertEquals(1, node.get("/api/v1/audit?action=tenant.consent-completed", keyB).get("items").size());
    });
    accountBBefore = stateOfB();
    trailBBefore = AuditTrailCheck.mark(HostileInputFuzzIT::getAsB);
  }

  @Test
  void everyHostileRequestIsRefusedPlainlyAndNothingChangesForAnotherAccount() throws Exception {
    List<FuzzCategory> categories = FuzzCategory.all();
    Random random = new Random(SEED);
    List<FuzzRequest> requests = new ArrayList<>(REQUESTS);
    for (int i = 0; i < REQUESTS; i++) {
      requests.add(categories.get(random.nextInt(categories.size())).next(random, targets));
    }
    System.out.printf("Hostile input fuzz: seed %d, %d requests, %d categories, concurrency %d%n", SEED,
        requests.size(), categories.size(), CONCURRENCY);

    Verdict verdict = new Verdict();
    long started = System.nanoTime();
    List<String> notReady;
    int polls;
    List<String> logged;
    String logSummary;
    try (NodeLog log = NodeLog.attach(); ReadyMonitor ready = new ReadyMonitor(node.port)) {
      verdict.judge(new FuzzRunner(node.port).run(requests, CONCURRENCY));
      ready.close();
      notReady = ready.misses();
      polls = ready.polls();
      logged = log.unexpected();
      logSummary = log.summary();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    System.out.printf("Hostile input fuzz: %d requests in %d s (seed %d); readiness polled %d times, %d misses; %s%n%s",
        verdict.requests(), took.toSeconds(), SEED, polls, notReady.size(), logSummary, verdict.report());
    logged.stream().limit(20).forEach(line -> System.out.println("  LOGGED " + line));
    java.nio.file.Files.write(java.nio.file.Path.of("target", "hostile-input-fuzz-findings.txt"),
        verdict.findings().stream().map(Verdict.Finding::toString).toList());
    verdict.findings().stream().limit(60).forEach(finding -> System.out.println("  FINDING " + finding));

    assertTrue(verdict.requests() >= 10_000, "at least 10,000 requests: " + verdict.requests());
    assertEquals(List.of(), notReady, "the node stays ready throughout");
    assertEquals(0, verdict.serverErrors(), "no 5xx");
    assertEquals(List.of(), logged.stream().limit(10).toList(),
        logged.size() + " ERROR lines or stack traces in the node's log (NodeLog.ALLOWED names legitimate ones)");
    assertEquals(List.of(), verdict.findings().stream().limit(20).map(Verdict.Finding::toString).toList(),
        verdict.findings().size() + " wrong answers (seed " + SEED + ")");
    Map<String, String> accountBAfter = stateOfB();
    assertEquals(accountBBefore.keySet(), accountBAfter.keySet(), "B's tenants are the same");
    accountBBefore.forEach((path, body) -> assertEquals(body, accountBAfter.get(path), "B's " + path));
    List<JsonNode> added = AuditTrailCheck.addedSince(trailBBefore, HostileInputFuzzIT::getAsB);
    System.out.printf("Hostile input fuzz: B's trail had %d records, the run added %d%n", trailBBefore.records(),
        added.size());
    added.forEach(record -> System.out.println("  ADDED TO B " + record));
    assertEquals(List.of(), AuditTrailCheck.problems(trailBBefore, HostileInputFuzzIT::getAsB), "B's audit trail");
  }

  /** A tenant of the account, authorized for the directory, and the consent callback that did it (now used). */
  private record Protected(String tenant, String callback) {}

  private static Protected protect(Simulator simulator, String key, TenantInfo directory) throws Exception {
    String tenant = node.ok(node.send("POST", "/api/v1/tenants", "{\"displayName\":\"" + directory.displayName()
        + "\",\"entraTenant\":\"" + directory.id() + "\"}", key), 201).get("id").asText();
    String callback = new AdminBrowser(simulator).decides(node.consentUrl(key, tenant, false), "accept");
    var landed = node.send("GET", callback, null, null);
    assertEquals(303, landed.statusCode(), landed.body());
    URI uri = URI.create(callback);
    return new Protected(tenant, uri.getRawPath() + "?" + uri.getRawQuery());
  }

  private static String backUp(Simulator simulator, String key, TenantInfo directory, String tenant) {
    JsonNode job =
        new BackedUpDirectory(node, simulator, directory.id(), tenant, key).backUpNow(Duration.ofSeconds(120));
    assertTrue(job.get("state").asText().startsWith("completed"), job.toString());
    return job.get("id").asText();
  }

  private static JsonNode download(String key, String tenant) {
    JsonNode accepted = node.ok(node.send("POST", "/api/v1/tenants/" + tenant + "/downloads",
        "{\"scope\":\"type\",\"type\":\"groups\"}", key), 202);
    return node.awaitJob(TestNode.jobId(accepted), key, Duration.ofSeconds(60));
  }

  private static String latestVersion(String key, String tenant, String user) {
    return node.get(objects(tenant, "users") + "/" + user + "/versions", key).get("versions").get(0).get("versionId")
        .asText();
  }

  private static String firstKeyId(String key, String account) {
    return node.get("/api/v1/accounts/" + account + "/keys", key).get("items").get(0).get("keyId").asText();
  }

  private static String objects(String tenant, String type) {
    return "/api/v1/tenants/" + tenant + "/objects/" + type;
  }

  private static String query(String url, String name) {
    return java.util.Arrays.stream(URI.create(url).getRawQuery().split("&"))
        .filter(pair -> pair.startsWith(name + "="))
        .map(pair -> URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8))
        .collect(Collectors.joining());
  }

  private static Map<String, String> stateOfB() {
    return AccountState.capture("fuzz-b", HostileInputFuzzIT::getAsB);
  }

  private static String getAsB(String path) {
    var response = node.send("GET", path, null, keyB);
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return response.body();
  }
}
