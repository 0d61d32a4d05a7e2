package io.entrabackup.node;

import static io.entrabackup.node.TestDeployment.KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.throttle.Faults;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Quotas and limits end to end (http-api/LIMITS.md), against the real Cassandra and the simulator: one account's
 * flood leaves another account answered at normal latency and never refused; 429s carry Retry-After and a problem;
 * download builds beyond the node's limit queue and all complete; a full restore queue and the tenant limit refuse.
 */
class RequestLimitsIT {

  private static final int RATE = 20;
  /** All keys of one account together: twice one key's rate. */
  private static final int ACCOUNT_RATE = 2 * RATE;
  private static final int FLOOD_KEYS = 8;

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(30).groups(4).seed(23))
          .withAuthorizedTenant()
          .nodeSettings(String.join("\n",
              "entra-backup.http.limits.requests-per-second-per-key = " + RATE,
              "entra-backup.http.limits.burst-per-key = " + 2 * RATE,
              "entra-backup.http.limits.requests-per-second-per-account = " + ACCOUNT_RATE,
              "entra-backup.http.limits.burst-per-account = " + 2 * ACCOUNT_RATE,
              "entra-backup.http.limits.failed-authentications-per-second-per-address = 2",
              "entra-backup.http.limits.failed-authentication-burst-per-address = 5",
              "entra-backup.tenant.max-queued-restores = 2",
              "entra-backup.tenant.max-tenants-per-account = 3",
              "entra-backup.download.max-builds-per-node = 1",
              "entra-backup.download.max-builds-per-account = 1",
              // A loaded CI machine starts a tenant entity slowly: the limits are this test's point, not that timeout.
              "entra-backup.tenant.ask-timeout = 30s"));

  private static TestNode node;

  @BeforeAll
  static void backedUp() {
    node = deployment.node();
    JsonNode backup = deployment.backups().backUpNow(Duration.ofSeconds(60));
    assertEquals("completed", backup.get("state").asText(), backup.toString());
  }

  @Test
  void oneAccountsFloodLeavesAnotherAccountAnsweredAtNormalLatencyAndNeverRefused() throws Exception {
    String flooder = node.createAccount("flooder");
    String steady = node.createAccount("steady");

    List<Long> quiet = paced(steady, 40);

    AtomicBoolean flooding = new AtomicBoolean(true);
    AtomicLong floodAnswered = new AtomicLong();
    AtomicLong floodRefused = new AtomicLong();
    Set<Integer> floodStatuses = ConcurrentHashMap.newKeySet();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<Long> underFlood;
    try {
      for (int i = 0; i < 8; i++) {
        threads.execute(() -> {
          while (flooding.get()) {
            int status = node.send("GET", "/api/v1/tenants", null, flooder).statusCode();
            floodStatuses.add(status);
            (status == 429 ? floodRefused : floodAnswered).incrementAndGet();
          }
        });
      }
      underFlood = paced(steady, 40);
    } finally {
      flooding.set(false);
      threads.shutdown();
      assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
    }

    long sent = floodAnswered.get() + floodRefused.get();
    assertTrue(floodRefused.get() > sent / 2, "most of the flood was refused: " + floodRefused + " of " + sent);
    assertEquals(Set.of(200, 429), floodStatuses, "the flood saw answers and refusals, nothing else");
    // The steady account's own pace (10/s) is within its limit: none of its requests was refused (paced() checks
    // every answer is 200), and the flood did not slow it beyond a generous but real bound.
    long quietMedian = percentile(quiet, 50);
    long floodMedian = percentile(underFlood, 50);
    long quietP95 = percentile(quiet, 95);
    long floodP95 = percentile(underFlood, 95);
    String figures = "median " + quietMedian + " -> " + floodMedian + " ms, p95 " + quietP95 + " -> " + floodP95
        + " ms; flood " + sent + " requests, " + floodRefused + " refused";
    System.out.println("Isolation under a flood: " + figures);
    assertTrue(floodMedian <= 3 * quietMedian + 100, figures);
    assertTrue(floodP95 <= 3 * quietP95 + 500, figures);
  }

  @Test
  void anAccountFloodingWithManyKeysIsLimitedAsOneAndAnotherAccountKeepsItsLatency() throws Exception {
    String flooderAdmin = node.createAccount("many-keys");
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < FLOOD_KEYS; i++) {
      keys.add(node.ok(node.send("POST", "/api/v1/accounts/many-keys/keys", "{\"name\":\"flood " + i + "\"}",
          flooderAdmin), 201).get("key").asText());
    }
    String steady = node.createAccount("steady-beside-many");
    List<Long> quiet = paced(steady, 40);

    AtomicBoolean flooding = new AtomicBoolean(true);
    AtomicLong floodAnswered = new AtomicLong();
    AtomicLong floodRefused = new AtomicLong();
    Set<String> refusals = ConcurrentHashMap.newKeySet();
    ExecutorService threads = Executors.newFixedThreadPool(FLOOD_KEYS);
    List<Long> underFlood;
    long started = System.nanoTime();
    long seconds;
    try {
      for (String key : keys) {
        threads.execute(() -> {
          while (flooding.get()) {
            HttpResponse<String> answer = node.send("GET", "/api/v1/tenants", null, key);
            if (answer.statusCode() == 429) {
              floodRefused.incrementAndGet();
              refusals.add(answer.body().contains("keys of this account together") ? "account" : "key");
            } else {
              floodAnswered.incrementAndGet();
            }
          }
        });
      }
      underFlood = paced(steady, 40);
    } finally {
      flooding.set(false);
      // Rounded up; the requests in flight as the flood stops are counted below (one per key).
      seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started + 999_999_999L);
      threads.shutdown();
      assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
    }

    // Eight keys would be allowed 8 x RATE a second each on their own; the account's bucket holds them to its rate
    // (plus its burst and the requests in flight), whatever the machine's speed.
    long allowed = ACCOUNT_RATE * seconds + 2L * ACCOUNT_RATE + FLOOD_KEYS;
    String figures = "flood " + (floodAnswered.get() + floodRefused.get()) + " requests in " + seconds + " s from "
        + FLOOD_KEYS + " keys, " + floodAnswered + " answered (account limit allows " + allowed + "), " + floodRefused
        + " refused; steady median " + percentile(quiet, 50) + " -> " + percentile(underFlood, 50) + " ms, p95 "
        + percentile(quiet, 95) + " -> " + percentile(underFlood, 95) + " ms";
    System.out.println("Isolation under a many-key flood: " + figures);
    assertTrue(floodAnswered.get() <= allowed, figures);
    assertTrue(refusals.contains("account"), "refused by the account's limit: " + refusals);
    assertTrue(percentile(underFlood, 50) <= 3 * percentile(quiet, 50) + 100, figures);
    assertTrue(percentile(underFlood, 95) <= 3 * percentile(quiet, 95) + 500, figures);
  }

  /** {@code count} requests of the key, 100 ms apart (within its limit); each must be answered 200; their latencies. */
  private static List<Long> paced(String key, int count) throws InterruptedException {
    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      HttpResponse<String> response = node.send("GET", "/api/v1/tenants", null, key);
      latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      assertEquals(200, response.statusCode(), "a request within the key's limit: " + response.body());
      Thread.sleep(100); // the steady client's pace, not a wait for anything
    }
    return latencies;
  }

  private static long percentile(List<Long> values, int percent) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
  }

  @Test
  void aKeyBeyondItsLimitIsAnswered429WithRetryAfterAndAProblem() {
    String key = node.createAccount("burster");
    HttpResponse<String> refused = null;
    for (int i = 0; i < 4 * RATE && refused == null; i++) {
      HttpResponse<String> response = node.send("GET", "/api/v1/tenants", null, key);
      if (response.statusCode() == 429) {
        refused = response;
      }
    }
    assertTrue(refused != null, "a burst beyond " + 2 * RATE + " requests was refused");
    assertTrue(refused.headers().firstValue("Content-Type").orElse("").contains("problem+json"));
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
    JsonNode problem = TestNode.read(refused.body());
    assertEquals(429, problem.get("status").asInt());
    assertTrue(problem.get("detail").asText().contains(RATE + " requests a second"), problem.toString());
    node.await(Duration.ofSeconds(10), () ->
        assertEquals(200, node.send("GET", "/api/v1/tenants", null, key).statusCode()));
  }

  @Test
  void anAddressGuessingKeysIsSlowedDownEvenForARightKeyAndRecovers() {
    HttpResponse<String> last = null;
    for (int i = 0; i < 10; i++) {
      last = node.send("GET", "/api/v1/tenants", null, "eb_guess_" + i);
    }
    assertEquals(429, last.statusCode(), last.body());
    assertTrue(last.body().contains("failed authentications"), last.body());
    assertTrue(last.headers().firstValue("Retry-After").isPresent());
    node.await(Duration.ofSeconds(10), () ->
        assertEquals(200, node.send("GET", "/api/v1/tenants", null, KEY).statusCode()));
  }

  @Test
  void downloadBuildsBeyondTheNodesLimitQueueShowQueuedAndAllComplete() {
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      jobs.add(node.ok(node.send("POST", "/api/v1/tenants/" + deployment.tenantId() + "/downloads",
          "{\"scope\":\"tenant\"}", KEY), 202).get("id").asText());
    }
    AtomicBoolean sawQueued = new AtomicBoolean();
    node.await(Duration.ofSeconds(120), () -> {
      JsonNode items = node.get("/api/v1/jobs?kind=download&limit=50", KEY).get("items");
      int ended = 0;
      for (JsonNode item : items) {
        if (!jobs.contains(item.get("id").asText())) {
          continue;
        }
        String state = item.get("state").asText();
        sawQueued.compareAndSet(false, state.equals("queued"));
        assertFalse(state.equals("failed"), "a queued build never fails for waiting: " + item);
        ended += state.equals("completed") ? 1 : 0;
      }
      assertEquals(jobs.size(), ended, items.toString());
    });
    assertTrue(sawQueued.get(), "with one build slot, builds waiting for it showed queued on System Status");
  }

  @Test
  void aRestoreBeyondAFullQueueIsRefusedSayingTheQueueIsFull() {
    TenantRestores restores = deployment.restores();
    BackedUpDirectory backups = deployment.backups();
    String user = backups.list("users").get(0).get("id").asText();
    String version = backups.latestVersionId("users", user);
    deployment.simulator().admin().addFault(Faults.Kind.SLOW, 1.0, 1, "/users/delta", null, 4000);
    String backup = backups.startBackup();

    List<String> queued = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      JsonNode accepted = restores.start("users", user, version);
      assertEquals("queued", accepted.get("state").asText(), accepted.toString());
      queued.add(TestNode.jobId(accepted));
    }
    HttpResponse<String> refused = node.send("POST", "/api/v1/tenants/" + deployment.tenantId() + "/objects/users/"
        + user + "/restores", "{\"version\":\"" + version + "\"}", KEY);
    assertEquals(409, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("restore queue") && refused.body().contains("is full"), refused.body());

    node.awaitJob(backup, KEY, Duration.ofSeconds(60));
    for (String job : queued) {
      JsonNode done = node.awaitJob(job, KEY, Duration.ofSeconds(60));
      assertFalse(done.get("state").asText().equals("failed"), done.toString());
    }
  }

  @Test
  void anAccountBeyondItsTenantLimitIsRefusedNamingTheLimit() {
    String key = node.createAccount("small-msp");
    for (int i = 0; i < 3; i++) {
      node.ok(node.send("POST", "/api/v1/tenants", "{\"displayName\":\"Customer " + i + "\"}", key), 201);
    }
    HttpResponse<String> refused = node.send("POST", "/api/v1/tenants", "{\"displayName\":\"One too many\"}", key);
    assertEquals(409, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("limit of 3 tenants"), refused.body());
    node.await(Duration.ofSeconds(10), () ->
        assertEquals(3, node.get("/api/v1/tenants", key).get("tenants").size(), "the read model follows"));
  }
}
