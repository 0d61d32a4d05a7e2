package io.entrabackup.cluster.graph.http;

import static io.entrabackup.testing.Awaits.await;
import static io.entrabackup.testing.Awaits.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.cluster.graph.AuthorizationLostException;
import io.entrabackup.cluster.graph.GraphAccess;
import io.entrabackup.cluster.graph.GraphSettings;
import io.entrabackup.cluster.graph.MalformedPageException;
import io.entrabackup.cluster.graph.TransientGraphException;
import io.entrabackup.protocol.backup.GraphTraffic;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The retry policy of every Graph request (cluster/GRAPH.md), against a scripted Graph: an OkHttp interceptor that
 * answers in place of the network and records what was sent and when. No network, no TLS, no tokens.
 */
class GraphHttpTest {
  static final String TENANT = "11111111-2222-3333-4444-555555555555";
  static final String URL = "https://graph.test/v1.0/users/delta";
  static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(5));
  static final ObjectMapper JSON = new ObjectMapper();

  ExecutorService blocking;
  ScriptedGraph script;
  AtomicInteger tokensRejected;
  GraphHttp http;

  @BeforeEach
  void start() {
    blocking = Executors.newFixedThreadPool(4);
    script = new ScriptedGraph();
    tokensRejected = new AtomicInteger();
    http = http(1000);
  }

  @AfterEach
  void stop() {
    blocking.shutdownNow();
  }

  GraphHttp http(double requestsPerSecond) {
    OkHttpClient client = new OkHttpClient.Builder()
        .addInterceptor(GraphTrafficCounter.ON_THE_WIRE)
        .addInterceptor(script)
        .build();
    return new GraphHttp(tenant -> client, tenant -> tokensRejected.incrementAndGet(),
        new GraphHttpSettings(requestsPerSecond, 4, FAST), blocking, Clock.systemUTC());
  }

  static GraphExchange get(RetryPolicy policy, GraphTrafficCounter traffic) {
    return GraphExchange.of(TENANT, "GET", URL, Optional.empty(), "page 1 of users", policy, traffic);
  }

  // ---- what is retried --------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} is retried")
  @ValueSource(ints = {429, 500, 502, 503, 504})
  void passingFailuresAreRetriedUntilGraphAnswers(int status) throws Exception {
    script.answer(status).answer(status).answer(200, "{\"value\":[]}");
    GraphTrafficCounter traffic = new GraphTrafficCounter();

    GraphAnswer answer = await(http.send(get(FAST, traffic)));

    assertEquals(200, answer.status());
    assertEquals(3, script.sent.size());
    assertEquals(3, traffic.total().requests());
    assertEquals(status == 429 ? 2 : 0, traffic.total().throttled());
  }

  @ParameterizedTest(name = "{0} is answered at once")
  @ValueSource(ints = {400, 403, 404, 409, 410, 501, 505})
  void permanentAnswersGoBackToTheCallerAfterOneRequest(int status) throws Exception {
    script.answer(status, "{\"error\":{\"code\":\"Code" + status + "\",\"message\":\"no\"}}");

    GraphAnswer answer = await(http.send(get(FAST, new GraphTrafficCounter())));

    assertEquals(status, answer.status());
    assertEquals("Code" + status, answer.errorCode());
    assertEquals(1, script.sent.size());
  }

  @Test
  void networkFailuresAreRetried() throws Exception {
    script.fail().fail().answer(200, "{\"value\":[]}");

    assertEquals(200, await(http.send(get(FAST, new GraphTrafficCounter()))).status());
    assertEquals(3, script.sent.size());
  }

  @Test
  void oneBudgetPerRequestThenTransientGraphExceptionNamingTheRequestAndItsIds() throws Exception {
    for (int i = 0; i < 10; i++) {
      script.answer(503, "{\"error\":{\"code\":\"serviceUnavailable\",\"message\":\"busy\"}}", Map.of("request-id",
          "graph-" + i));
    }

    Throwable failure = failureOf(http.send(get(FAST, new GraphTrafficCounter())));

    TransientGraphException e = assertInstanceOf(TransientGraphException.class, failure);
    assertEquals(4, script.sent.size(), "max-attempts, each sent once");
    assertTrue(e.getMessage().startsWith("page 1 of users failed after 4 attempts: 503 serviceUnavailable: busy"),
        e.getMessage());
    assertTrue(e.getMessage().contains("client-request-id " + script.clientRequestId(0)), e.getMessage());
    assertTrue(e.getMessage().contains("request-id graph-3"), "Graph's id of the last attempt: " + e.getMessage());
    assertTrue(e.isRetriable());
  }

  @Test
  void exhaustedNetworkFailuresFailAsTransientToo() throws Exception {
    RetryPolicy twice = new RetryPolicy(2, Duration.ZERO, Duration.ZERO);
    script.fail().fail().fail();

    assertInstanceOf(TransientGraphException.class, failureOf(http.send(get(twice, new GraphTrafficCounter()))));
    assertEquals(2, script.sent.size());
  }

  @Test
  void aBodyThatIsNotWhatWasAskedForIsRetriedThenFailsAsMalformed() throws Exception {
    script.answer(200, "{\"value\":[").answer(200, "{\"value\":[]}");
    GraphExchange page = get(FAST, new GraphTrafficCounter()).withBodyCheck(answer -> answer.unreadable());

    assertEquals(200, await(http.send(page)).status());
    assertEquals(2, script.sent.size());

    for (int i = 0; i < 4; i++) {
      script.answer(200, "{\"value\":[");
    }
    MalformedPageException e = assertInstanceOf(MalformedPageException.class, failureOf(http.send(page)));
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    assertEquals(URL, e.url());
  }

  // ---- 401 --------------------------------------------------------------------------------------------------------

  @Test
  void a401ReplacesTheTokenOnceOutsideTheBudget() throws Exception {
    RetryPolicy once = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    script.answer(401).answer(200, "{}");

    assertEquals(200, await(http.send(get(once, new GraphTrafficCounter()))).status());
    assertEquals(1, tokensRejected.get());
    assertEquals(2, script.sent.size());
  }

  @Test
  void a401WithAFreshTokenIsAuthorizationLost() throws Exception {
    script.answer(401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"expired\"}}")
        .answer(401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"expired\"}}");

    AuthorizationLostException e = assertInstanceOf(AuthorizationLostException.class,
        failureOf(http.send(get(FAST, new GraphTrafficCounter()))));
    assertEquals("InvalidAuthenticationToken", e.errorCode());
    assertEquals(1, tokensRejected.get());
    assertEquals(2, script.sent.size());
  }

  // ---- client-request-id ------------------------------------------------------------------------------------------

  @Test
  void everyRequestCarriesAFreshClientRequestIdThatItsRetriesRepeat() throws Exception {
    script.answer(503).answer(200, "{}").answer(200, "{}");

    GraphAnswer first = await(http.send(get(FAST, new GraphTrafficCounter())));
    GraphAnswer second = await(http.send(get(FAST, new GraphTrafficCounter())));

    String id = script.clientRequestId(0);
    UUID.fromString(id); // a GUID, as Microsoft asks
    assertEquals(id, script.clientRequestId(1), "the retry repeats it");
    assertEquals(id, first.clientRequestId());
    assertNotEquals(id, script.clientRequestId(2), "a new logical request has its own");
    assertEquals(script.clientRequestId(2), second.clientRequestId());
  }

  @Test
  void logLinesAboutARequestCarryItsIdsInTheMessageAndTheMdc() throws Exception {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(GraphHttp.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
        new ch.qos.logback.core.read.ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      script.answer(503, "{}", Map.of("request-id", "graph-1")).answer(200, "{}");
      await(http.send(get(FAST, new GraphTrafficCounter())));
    } finally {
      logger.detachAppender(appender);
    }
    String id = script.clientRequestId(0);
    var retry = appender.list.stream().filter(e -> e.getFormattedMessage().contains("retrying in")).findFirst()
        .orElseThrow();
    assertTrue(retry.getFormattedMessage().contains("client-request-id " + id + ", request-id graph-1"),
        retry.getFormattedMessage());
    assertEquals(id, retry.getMDCPropertyMap().get(GraphHttp.MDC_CLIENT_REQUEST_ID));
    assertEquals(TENANT, retry.getMDCPropertyMap().get(GraphHttp.MDC_TENANT));
  }

  @Test
  void aJobsRequestsAllSendItsRequestIdAndLogWithItsMdc() throws Exception {
    var job = new io.entrabackup.cluster.job.JobMdc("t-1", "job-1", io.entrabackup.protocol.backup.JobKind.BACKUP,
        java.util.Optional.of("0b5e4c3a-1d2f-4e6a-8b7c-9d0e1f2a3b4c"));
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(GraphHttp.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
        new ch.qos.logback.core.read.ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      script.answer(503, "{}").answer(200, "{}").answer(200, "{}");
      await(http.send(get(FAST, new GraphTrafficCounter()).forJob(java.util.Optional.of(job))));
      await(http.send(get(FAST, new GraphTrafficCounter()).forJob(java.util.Optional.of(job))));
    } finally {
      logger.detachAppender(appender);
    }
    for (int i = 0; i < 3; i++) {
      assertEquals("0b5e4c3a-1d2f-4e6a-8b7c-9d0e1f2a3b4c", script.clientRequestId(i), "request " + i);
    }
    var retry = appender.list.stream().filter(e -> e.getFormattedMessage().contains("retrying in")).findFirst()
        .orElseThrow();
    assertEquals("job-1", retry.getMDCPropertyMap().get("jobId"));
    assertEquals("backup", retry.getMDCPropertyMap().get("jobKind"));
    assertEquals("0b5e4c3a-1d2f-4e6a-8b7c-9d0e1f2a3b4c", retry.getMDCPropertyMap().get("requestId"));
    assertEquals(TENANT, retry.getMDCPropertyMap().get(GraphHttp.MDC_TENANT));
    assertTrue(org.slf4j.MDC.getCopyOfContextMap() == null || !org.slf4j.MDC.getCopyOfContextMap()
        .containsKey("jobId"), "the job's MDC does not stay on the thread");
  }

  // ---- Retry-After and pacing -------------------------------------------------------------------------------------

  @Test
  void nothingIsSentBeforeRetryAfterInSecondsHasPassed() throws Exception {
    script.answer(429, "{}", Map.of("Retry-After", "0.4")).answer(200, "{}");

    await(http.send(get(FAST, new GraphTrafficCounter())));

    long gap = script.sentAt.get(1) - script.sentAt.get(0);
    assertTrue(gap >= 400_000_000L, "retried " + gap / 1_000_000 + " ms after a Retry-After of 400 ms");
  }

  @Test
  void nothingIsSentBeforeARetryAfterDateHasPassed() throws Exception {
    // An HTTP date has whole seconds: wait for the next second boundary plus one.
    Instant at = Instant.now().plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(at, ZoneOffset.UTC));
    script.answer(503, "{}", Map.of("Retry-After", date)).answer(200, "{}");

    await(http.send(get(FAST, new GraphTrafficCounter())));

    assertTrue(script.sentAtWall.get(1) >= at.toEpochMilli(), "retried before " + date);
  }

  @Test
  void aRetryAfterHoldsEveryRequestOfTheTenant() throws Exception {
    script.answer(429, "{}", Map.of("Retry-After", "0.5")).answer(200, "{}").answer(200, "{}");

    var throttled = http.send(get(FAST, new GraphTrafficCounter()));
    while (script.sent.isEmpty()) {
      Thread.sleep(1);
    }
    var other = http.send(GraphExchange.of(TENANT, "POST", "https://graph.test/v1.0/groups", Optional.of(
        JSON.readTree("{\"displayName\":\"g\"}")), "POST /groups", FAST, new GraphTrafficCounter()));
    await(throttled);
    await(other);

    for (int i = 1; i < 3; i++) {
      long gap = script.sentAt.get(i) - script.sentAt.get(0);
      assertTrue(gap >= 500_000_000L, "request " + i + " sent " + gap / 1_000_000 + " ms after the 429");
    }
  }

  @Test
  void requestsOfATenantArePacedAndSentOneAtATime() throws Exception {
    GraphHttp paced = http(20); // 50 ms apart
    List<CompletionStage<GraphAnswer>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      script.answer(200, "{}");
    }
    for (int i = 0; i < 5; i++) {
      calls.add(paced.send(get(FAST, new GraphTrafficCounter())));
    }
    for (CompletionStage<GraphAnswer> call : calls) {
      await(call);
    }
    assertEquals(1, script.maxInFlight.get());
    // Turns start 50 ms apart; a send is seen a little after its turn (a thread hop), so only the whole is exact.
    long all = script.sentAt.get(4) - script.sentAt.get(0);
    assertTrue(all >= 4 * 50_000_000L - 15_000_000L, "5 requests at 20/s took " + all / 1_000_000 + " ms");
  }

  // ---- counting ---------------------------------------------------------------------------------------------------

  @Test
  void trafficCountsEveryAttemptThe429sAndTheBytesRead() throws Exception {
    script.answer(429, "{\"e\":1}", Map.of("Retry-After", "0")).fail().answer(200, "{\"value\":[1,2]}");
    GraphTrafficCounter traffic = new GraphTrafficCounter();

    await(http.send(get(FAST, traffic)));

    assertEquals(new GraphTraffic(3, 1, "{\"e\":1}".length() + "{\"value\":[1,2]}".length()), traffic.total());
  }

  // ---- the policy's parts -----------------------------------------------------------------------------------------

  @Test
  void waitsAreJitteredBetweenMinAndThreeTimesTheLastCappedAtMaxWithRetryAfterAsAFloor() {
    RetryPolicy policy = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(60));
    Random random = new Random(42);
    Duration previous = Duration.ZERO;
    boolean varied = false;
    for (int i = 0; i < 200; i++) {
      Duration wait = policy.nextWait(previous, Optional.empty(), random);
      long upper = Math.min(60_000, 3 * Math.max(1000, previous.toMillis()));
      assertTrue(wait.toMillis() >= 1000 && wait.toMillis() <= upper, wait + " after " + previous);
      varied |= !wait.equals(previous);
      previous = wait;
    }
    assertTrue(varied);
    assertEquals(Duration.ofSeconds(120), policy.nextWait(Duration.ofSeconds(60), Optional.of(Duration.ofSeconds(120)),
        random), "Retry-After beyond max-backoff still wins");
    assertTrue(policy.nextWait(Duration.ZERO, Optional.of(Duration.ofMillis(1)), random).toMillis() >= 1000,
        "a short Retry-After does not shorten our own wait");
  }

  @Test
  void retryAfterIsReadInSecondsFractionalSecondsAndAsAnHttpDate() {
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC);
    assertEquals(Optional.of(Duration.ofSeconds(3)), RetryAfter.parse("3", clock));
    assertEquals(Optional.of(Duration.ofMillis(2128)), RetryAfter.parse(" 2.128 ", clock));
    assertEquals(Optional.of(Duration.ofSeconds(90)), RetryAfter.parse("Thu, 01 Jan 2026 10:01:30 GMT", clock));
    assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Thu, 01 Jan 2026 09:59:00 GMT", clock));
    assertEquals(Optional.empty(), RetryAfter.parse("-1", clock));
    assertEquals(Optional.empty(), RetryAfter.parse("soon", clock));
    assertEquals(Optional.empty(), RetryAfter.parse(null, clock));
  }

  @Test
  void theRetriedStatusesAreExactlyTheDocumentedOnes() {
    for (int status = 100; status < 600; status++) {
      boolean documented = status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
      assertEquals(documented, RetryPolicy.isRetried(status), "status " + status);
    }
  }

  /** The tenant's real client (GraphAccess's middleware) must not retry by itself: one attempt is one request. */
  @Test
  void theTenantsClientHasNoRetryHandlerOfItsOwn() throws Exception {
    GraphSettings settings = GraphSettings.create(ConfigFactory.parseMap(Map.of(
            "entra-backup.graph.login-base-url", "https://login.test",
            "entra-backup.graph.graph-base-url", "https://graph.test/v1.0",
            "entra-backup.graph.client-id", "client",
            "entra-backup.graph.client-secret", "secret"))
        .withFallback(ConfigFactory.defaultReference()));
    for (int i = 0; i < 10; i++) {
      script.answer(503, "{}", Map.of("Retry-After", "0"));
    }
    try (GraphAccess graph = new GraphAccess(settings, blocking)) {
      // Not the Graph host: no token is fetched (GraphTokenProvider), so nothing leaves the JVM.
      OkHttpClient real = graph.httpClient(TENANT).newBuilder().addInterceptor(script).build();
      GraphHttp layer = new GraphHttp(tenant -> real, tenant -> { }, settings.http(), blocking, Clock.systemUTC());
      RetryPolicy once = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
      GraphExchange exchange = GraphExchange.of(TENANT, "GET", "https://elsewhere.test/v1.0/users", Optional.empty(),
          "users", once, new GraphTrafficCounter());

      assertInstanceOf(TransientGraphException.class, failureOf(layer.send(exchange)));
      assertEquals(1, script.sent.size(), "the SDK's middleware sent the request once");
      assertEquals(script.clientRequestId(0), script.sent.get(0).headers("client-request-id").get(0));
      assertEquals(1, script.sent.get(0).headers("client-request-id").size(), "the SDK adds no id of its own");
    }
  }

  /** Answers in place of Graph, in script order, and records each request and when it came. */
  static final class ScriptedGraph implements Interceptor {
    private final Deque<Object> answers = new ArrayDeque<>();
    final List<Request> sent = Collections.synchronizedList(new ArrayList<>());
    final List<Long> sentAt = Collections.synchronizedList(new ArrayList<>());
    final List<Long> sentAtWall = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();

    record Scripted(int status, String body, Map<String, String> headers) {}

    ScriptedGraph answer(int status) {
      return answer(status, "");
    }

    ScriptedGraph answer(int status, String body) {
      return answer(status, body, Map.of());
    }

    synchronized ScriptedGraph answer(int status, String body, Map<String, String> headers) {
      answers.add(new Scripted(status, body, headers));
      return this;
    }

    synchronized ScriptedGraph fail() {
      answers.add(new IOException("connection reset"));
      return this;
    }

    String clientRequestId(int request) {
      return sent.get(request).header("client-request-id");
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      try {
        sentAt.add(System.nanoTime());
        sentAtWall.add(System.currentTimeMillis());
        sent.add(chain.request());
        Thread.sleep(2);
        Object next;
        synchronized (this) {
          next = answers.poll();
        }
        if (next == null) {
          throw new AssertionError("unscripted request " + chain.request());
        }
        if (next instanceof IOException e) {
          throw e;
        }
        Scripted s = (Scripted) next;
        Response.Builder response = new Response.Builder()
            .request(chain.request())
            .protocol(Protocol.HTTP_1_1)
            .code(s.status())
            .message("scripted")
            .body(ResponseBody.create(s.body(), MediaType.get("application/json")));
        s.headers().forEach(response::header);
        return response.build();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }
}
