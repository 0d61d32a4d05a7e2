package io.entrabackup.http.limits;

import static io.entrabackup.http.ApiTestServer.assertProblem;
import static io.entrabackup.http.Stubs.done;
import static io.entrabackup.http.Stubs.stub;
import static io.entrabackup.http.Stubs.unused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.http.ApiRoutes;
import io.entrabackup.http.audit.Auditing;
import io.entrabackup.http.ApiTestServer;
import io.entrabackup.http.account.AccountClient;
import io.entrabackup.http.account.AccountRoutes;
import io.entrabackup.http.auth.BearerKeyAuthenticator;
import io.entrabackup.http.consent.ConsentClient;
import io.entrabackup.http.consent.ConsentRoutes;
import io.entrabackup.http.health.HealthCheck;
import io.entrabackup.http.health.HealthRoutes;
import io.entrabackup.http.job.JobClient;
import io.entrabackup.http.job.JobRoutes;
import io.entrabackup.http.object.ObjectClient;
import io.entrabackup.http.object.ObjectRoutes;
import io.entrabackup.http.tenant.TenantClient;
import io.entrabackup.http.tenant.TenantRoutes;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.api.TenantPage;
import io.entrabackup.protocol.tenant.ConsentOutcome;
import io.github.bucket4j.TimeMeter;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The request limits over real HTTP, on a clock the test moves: 429s, Retry-After, and who they fall on. */
class RequestRateLimitTest {

  private static final String KEY_A = "eb_key_of_account_a";
  private static final String KEY_B = "eb_key_of_account_b";
  private static final String SECOND_KEY_A = "eb_second_key_of_account_a";

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final AtomicInteger keyLookups = new AtomicInteger();
  private ApiTestServer server;

  private final TimeMeter time = new TimeMeter() {
    @Override public long currentTimeNanos() {
      return nanos.get();
    }

    @Override public boolean isWallClockBased() {
      return false;
    }
  };

  private void start(RequestLimitSettings limits) throws Exception {
    var authenticator = new BearerKeyAuthenticator(key -> {
      keyLookups.incrementAndGet();
      Optional<Caller> caller = switch (key) {
        case KEY_A -> Optional.of(new Caller(new AccountId("a"), "ka", false));
        case KEY_B -> Optional.of(new Caller(new AccountId("b"), "kb", false));
        case SECOND_KEY_A -> Optional.of(new Caller(new AccountId("a"), "ka2", false));
        default -> Optional.empty();
      };
      return CompletableFuture.completedFuture(caller);
    });
    TenantClient tenants = stub(TenantClient.class, Map.of("list", done(new TenantPage(List.of(), null))));
    RequestRateLimit rateLimit = new RequestRateLimit(limits, time);
    server = ApiTestServer.start(settings -> new ApiRoutes(authenticator,
        new TenantRoutes(tenants, new ObjectRoutes(unused(ObjectClient.class), settings, Optional.empty()), settings,
            Clock.systemUTC()),
        new AccountRoutes(unused(AccountClient.class), settings),
        new JobRoutes(unused(JobClient.class), settings, Optional.empty()),
        new ConsentRoutes(stub(ConsentClient.class, Map.of("complete", done(new ConsentOutcome(
            ConsentOutcome.Kind.INVALID_STATE, Optional.empty(), Optional.empty(), "unknown state"))))),
        new HealthRoutes(unused(HealthCheck.class)),
        Optional.empty(),
        Optional.empty(), rateLimit, Auditing.off()));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private HttpResponse<String> list(String key) throws Exception {
    return server.send("GET", "/api/v1/tenants", null, key);
  }

  @Test
  void aKeyBeyondItsBurstIsAnswered429WithRetryAfterAndAProblemUntilItsBucketRefills() throws Exception {
    start(new RequestLimitSettings(2, 3, 0, 0, 100));

    for (int i = 0; i < 3; i++) {
      assertEquals(200, list(KEY_A).statusCode());
    }
    HttpResponse<String> refused = list(KEY_A);
    assertProblem(refused, 429, "more than 2 requests a second (bursts up to 3)");
    assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));

    nanos.addAndGet(Duration.ofMillis(500).toNanos());
    assertEquals(200, list(KEY_A).statusCode(), "half a second at 2/s gives one request back");
    assertEquals(429, list(KEY_A).statusCode());
  }

  @Test
  void oneKeysFloodLeavesAnotherKeysRequestsAnswered() throws Exception {
    start(new RequestLimitSettings(1, 1, 0, 0, 100));

    assertEquals(200, list(KEY_A).statusCode());
    for (int i = 0; i < 20; i++) {
      assertEquals(429, list(KEY_A).statusCode());
    }
    assertEquals(200, list(KEY_B).statusCode());
  }

  @Test
  void anAccountsKeysShareItsLimitSoMoreKeysBuyNoMoreAndAnotherAccountIsAnswered() throws Exception {
    start(new RequestLimitSettings(10, 10, 0, 0, 100, 3, 3, 0, 0));

    assertEquals(200, list(KEY_A).statusCode());
    assertEquals(200, list(KEY_A).statusCode());
    assertEquals(200, list(SECOND_KEY_A).statusCode());
    HttpResponse<String> refused = list(SECOND_KEY_A);

    assertProblem(refused, 429, "keys of this account together made more than 3 requests a second");
    assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
    assertEquals(429, list(KEY_A).statusCode(), "the account's other key is refused too");
    assertEquals(200, list(KEY_B).statusCode());
    nanos.addAndGet(Duration.ofMillis(400).toNanos());
    assertEquals(200, list(SECOND_KEY_A).statusCode(), "0.4 s at 3/s gives one request back");
  }

  @Test
  void anAddressFailingToAuthenticateTooOftenIsRefusedWithoutItsKeyBeingLookedAt() throws Exception {
    start(new RequestLimitSettings(0, 0, 1, 3, 100));

    for (int i = 0; i < 3; i++) {
      assertProblem(list("eb_guess_" + i), 401, "valid account API key");
    }
    int lookups = keyLookups.get();
    HttpResponse<String> refused = list(KEY_A);
    assertProblem(refused, 429, "Too many failed authentications from this address");
    assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
    assertEquals(lookups, keyLookups.get(), "a right guess is not even checked, so it tells the guesser nothing");

    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertEquals(200, list(KEY_A).statusCode(), "a second later one attempt is allowed again");
  }

  private HttpResponse<String> withoutKey(String path) throws Exception {
    return server.send(server.request(path).GET().build());
  }

  @Test
  void theRoutesWithoutAKeyAreLimitedPerAddressTheCallbackWithAPageALinkWithAProblem() throws Exception {
    start(new RequestLimitSettings(0, 0, 0, 0, 100, 0, 0, 1, 2));

    assertEquals(400, withoutKey("/auth/callback?state=x&code=y").statusCode());
    assertEquals(400, withoutKey("/auth/callback?state=x&code=y").statusCode());
    HttpResponse<String> page = withoutKey("/auth/callback?state=x&code=y");
    HttpResponse<String> link = withoutKey("/api/v1/downloads/j1/content?expires=1&signature=x");

    assertEquals(429, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.body());
    assertTrue(page.body().contains("without an API key"), page.body());
    assertEquals("1", page.headers().firstValue("Retry-After").orElse(""));
    assertProblem(link, 429, "more than 1 requests a second (bursts up to 2) without an API key");
    assertEquals(200, list(KEY_A).statusCode(), "requests with a key are not counted there");
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertEquals(400, withoutKey("/auth/callback?state=x&code=y").statusCode());
  }

  @Test
  void aKeySentWithADownloadLinkIsCheckedBehindTheFailedAuthenticationLimit() throws Exception {
    start(new RequestLimitSettings(0, 0, 1, 1, 100));
    String link = "/api/v1/downloads/j1/content?expires=1&signature=x";

    assertEquals(401, server.send("GET", link, null, "eb_wrong").statusCode());
    int lookups = keyLookups.get();
    HttpResponse<String> refused = server.send("GET", link, null, "eb_wrong_again");

    assertProblem(refused, 429, "Too many failed authentications from this address");
    assertEquals(lookups, keyLookups.get(), "not looked up once the address is out of attempts");
    assertEquals(429, list(KEY_A).statusCode(), "the same budget as the rest of /api/v1");
  }

  @Test
  void successfulRequestsNeverUseTheAddressBudget() throws Exception {
    start(new RequestLimitSettings(0, 0, 1, 1, 100));

    for (int i = 0; i < 10; i++) {
      assertEquals(200, list(KEY_A).statusCode());
    }
    assertEquals(401, list("eb_wrong").statusCode());
    assertEquals(429, list(KEY_A).statusCode());
  }

  @Test
  void ratesOfZeroLimitNothing() throws Exception {
    start(RequestLimitSettings.UNLIMITED);

    for (int i = 0; i < 50; i++) {
      assertEquals(200, list(KEY_A).statusCode());
      assertEquals(401, list("eb_wrong").statusCode());
    }
  }

  @Test
  void retryAfterIsWholeSecondsRoundedUpAndNeverZero() {
    assertEquals(1, RequestRateLimit.seconds(Duration.ofNanos(1)));
    assertEquals(1, RequestRateLimit.seconds(Duration.ofSeconds(1)));
    assertEquals(2, RequestRateLimit.seconds(Duration.ofMillis(1001)));
    assertEquals(1, RequestRateLimit.seconds(Duration.ZERO));
  }

  @Test
  void ipv6AddressesCountByTheirSlash64() throws Exception {
    String one = RequestRateLimit.addressKey(InetAddress.getByName("2001:db8:1:2:aaaa::1"));
    String other = RequestRateLimit.addressKey(InetAddress.getByName("2001:db8:1:2:bbbb::9"));
    String elsewhere = RequestRateLimit.addressKey(InetAddress.getByName("2001:db8:1:3::1"));
    assertEquals(one, other);
    assertTrue(!one.equals(elsewhere));
    assertEquals("192.0.2.7", RequestRateLimit.addressKey(InetAddress.getByName("192.0.2.7")));
  }

  @Test
  void bucketsKeptInMemoryStayBoundedByDroppingIdleOnes() {
    var buckets = new TokenBuckets(5, 5, 10, time);
    for (int i = 0; i < 1000; i++) {
      buckets.take("key-" + i);
      nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    }
    assertTrue(buckets.tracked() <= 10, "tracked " + buckets.tracked());
  }
}
