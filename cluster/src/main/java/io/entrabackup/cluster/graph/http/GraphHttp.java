package io.entrabackup.cluster.graph.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.microsoft.kiota.http.ObservabilityOptions;
import io.entrabackup.cluster.graph.AuthorizationLostException;
import io.entrabackup.cluster.graph.GraphAccessException;
import io.entrabackup.cluster.graph.GraphFailures;
import io.entrabackup.cluster.graph.MalformedPageException;
import io.entrabackup.cluster.graph.TransientGraphException;
import io.entrabackup.cluster.job.JobMdc;
import io.entrabackup.cluster.logging.MdcScope;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a Graph request leaves the node: send, classify, retry, pace, count (policy and reasons in
 * cluster/GRAPH.md). Backup reads, restore writes and the consent check all come through here.
 *
 * <p>A logical request gets a fresh {@code client-request-id} that every attempt repeats, so Microsoft can find all of
 * them in a support case; our log lines carry it (message and MDC {@link #MDC_CLIENT_REQUEST_ID}) with Graph's
 * {@code request-id} of the failed attempt. Each attempt takes the tenant's turn ({@link TenantRequestGate}: one at a
 * time, paced, held by a Retry-After) and a node permit ({@link GraphRequestPermits}), then runs as one blocking
 * exchange on the blocking executor, through the tenant's OkHttp client, which has no retry handler of its own: what is
 * sent is what {@link RetryPolicy} allows, once. A 401 replaces the token once, outside the budget. Answers not worth
 * another attempt go back to the caller, who decides what they mean; a budget spent fails with
 * {@link TransientGraphException} (or {@link MalformedPageException} for a body that never read right).
 */
public final class GraphHttp {
  private static final Logger log = LoggerFactory.getLogger(GraphHttp.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  /** Kiota's handlers trace into a span made from these options (its request adapter sets them on every request). */
  private static final ObservabilityOptions OBSERVABILITY = new ObservabilityOptions();
  public static final String CLIENT_REQUEST_ID = "client-request-id";
  static final String REQUEST_ID = "request-id";
  /** MDC keys of the layer's log lines: the Entra tenant and the request's {@code client-request-id}. */
  public static final String MDC_TENANT = "entraTenantId";
  public static final String MDC_CLIENT_REQUEST_ID = "clientRequestId";

  /**
   * OkHttp resends by itself, at once, a 503 whose Retry-After is exactly {@code 0}: a second budget inside ours. As a
   * network interceptor this hands OkHttp the same wait in a form it does not act on ({@code 0.0}), so the policy alone
   * decides. (OkHttp's other silent resends, of connection failures and 408s, are off: see GraphAccess.)
   */
  public static final Interceptor NO_SILENT_RESEND = chain -> {
    Response response = chain.proceed(chain.request());
    String retryAfter = response.header("Retry-After");
    if (response.code() == 503 && retryAfter != null && retryAfter.trim().matches("0+")) {
      return response.newBuilder().header("Retry-After", "0.0").build();
    }
    return response;
  };

  private final Function<String, OkHttpClient> clients;
  private final Consumer<String> tokenRejected;
  private final Executor blockingExecutor;
  private final Clock clock;
  private final TenantRequestGate gate;
  private final GraphRequestPermits permits;
  private volatile GraphRequestObserver observer = GraphRequestObserver.NONE;

  /**
   * @param clients the tenant's OkHttp client (authorization middleware, no retry handler)
   * @param tokenRejected forgets the tenant's cached token after a 401
   */
  public GraphHttp(Function<String, OkHttpClient> clients, Consumer<String> tokenRejected, GraphHttpSettings settings,
      Executor blockingExecutor, Clock clock) {
    this.clients = Objects.requireNonNull(clients, "clients");
    this.tokenRejected = Objects.requireNonNull(tokenRejected, "tokenRejected");
    this.blockingExecutor = Objects.requireNonNull(blockingExecutor, "blockingExecutor");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.gate = new TenantRequestGate(settings.requestsPerSecondPerTenant(), blockingExecutor);
    this.permits = new GraphRequestPermits(settings.maxConcurrentRequestsPerNode());
  }

  /** The node's limit on requests in flight (for tests and metrics). */
  public GraphRequestPermits permits() {
    return permits;
  }

  /** Tells {@code observer} of every attempt from now on (the node's metrics). */
  public void observe(GraphRequestObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /** The per-tenant gate every request passes (for tests and metrics). */
  public TenantRequestGate gate() {
    return gate;
  }

  /**
   * Sends the request, retrying under its policy; completes with the answer the caller has to judge.
   *
   * <p>A job's requests all reuse the job's request id as {@code client-request-id} rather than deriving one per
   * request: it is the one id an operator has (the {@code X-Request-Id} of Backup Now, shown on the job as
   * {@code requestId}), so Microsoft support can be given it and find every request of the job, and our log lines
   * find the same ones with it. Graph still tells single requests apart: each answer has its own {@code request-id},
   * which our lines about a failed attempt carry beside it. Requests of no job get a fresh id each.
   */
  public CompletionStage<GraphAnswer> send(GraphExchange exchange) {
    String clientRequestId = exchange.job().flatMap(JobMdc::requestId).orElseGet(() -> UUID.randomUUID().toString());
    return new Attempts(exchange, clientRequestId).next();
  }

  /** What one attempt gave. */
  private sealed interface Attempt {
    record Answered(GraphAnswer answer, Optional<Duration> retryAfter) implements Attempt {}

    record NetworkFailure(IOException cause) implements Attempt {}
  }

  /** The attempts at one logical request. */
  private final class Attempts {
    final GraphExchange exchange;
    final String clientRequestId;
    int attempt = 1;
    boolean tokenReplaced;
    Duration lastWait = Duration.ZERO;

    Attempts(GraphExchange exchange, String clientRequestId) {
      this.exchange = exchange;
      this.clientRequestId = clientRequestId;
    }

    CompletionStage<GraphAnswer> next() {
      return gate.enter(exchange.tenant())
          .thenCompose(pass -> sendOnce().whenComplete((sent, failure) -> pass.leave(sent instanceof
              Attempt.Answered answered ? answered.retryAfter() : Optional.empty())))
          .thenCompose(this::judge);
    }

    CompletionStage<GraphAnswer> judge(Attempt sent) {
      if (sent instanceof Attempt.Answered answered) {
        GraphAnswer answer = answered.answer();
        if (answer.status() == 401) {
          return unauthorized(answer);
        }
        if (RetryPolicy.isRetried(answer.status())) {
          return retryOrFail(answer.describe(), answered.retryAfter(), Optional.of(answer), null, false);
        }
        Optional<String> problem = answer.ok() ? exchange.bodyProblem().apply(answer) : Optional.empty();
        if (problem.isPresent()) {
          return retryOrFail(problem.get(), Optional.empty(), Optional.of(answer), null, true);
        }
        if (!answer.ok() && answer.status() != 404) {
          log(() -> log.info("Tenant {}: {} ({} {}) answered {} [{}]", exchange.tenant(), exchange.what(),
              exchange.method(), redact(exchange.url()), answer.describe(), answer.trace()));
        }
        return CompletableFuture.completedFuture(answer);
      }
      IOException io = ((Attempt.NetworkFailure) sent).cause();
      return retryOrFail(io.getClass().getSimpleName() + ": " + io.getMessage(), Optional.empty(), Optional.empty(),
          io, false);
    }

    /** A 401: perhaps the token just expired early. Once per request, fetch a fresh one and go again at once. */
    CompletionStage<GraphAnswer> unauthorized(GraphAnswer answer) {
      if (tokenReplaced) {
        String code = answer.errorCode().isEmpty() ? "401" : answer.errorCode();
        return CompletableFuture.failedFuture(new AuthorizationLostException(exchange.tenant(), code, "Graph refused "
            + "our token for tenant " + exchange.tenant() + " twice, the second freshly fetched (" + answer.describe()
            + ", " + exchange.what() + ", " + answer.trace() + "). A tenant admin must grant admin consent again.",
            null));
      }
      tokenReplaced = true;
      tokenRejected.accept(exchange.tenant());
      log(() -> log.info("Tenant {}: {} answered {}; retrying once with a fresh token [{}]", exchange.tenant(),
          exchange.what(), answer.describe(), answer.trace()));
      return next();
    }

    CompletionStage<GraphAnswer> retryOrFail(String why, Optional<Duration> retryAfter, Optional<GraphAnswer> answer,
        Throwable cause, boolean malformed) {
      String trace = answer.map(GraphAnswer::trace).orElse(CLIENT_REQUEST_ID + " " + clientRequestId);
      RetryPolicy policy = exchange.policy();
      if (!policy.allowsAnotherAfter(attempt)) {
        String message = exchange.what() + " failed after " + attempt + " attempt" + (attempt == 1 ? "" : "s") + ": "
            + why + " (tenant " + exchange.tenant() + ", " + exchange.method() + " " + redact(exchange.url()) + ", "
            + trace + ")";
        log(() -> log.warn("Tenant {}: {}", exchange.tenant(), message));
        return CompletableFuture.failedFuture(malformed
            ? new MalformedPageException(exchange.tenant(), exchange.url(), message, cause)
            : new TransientGraphException(exchange.tenant(), message, cause));
      }
      Duration wait = policy.nextWait(lastWait, retryAfter, ThreadLocalRandom.current());
      lastWait = wait;
      int failed = attempt++;
      log(() -> log.warn("Tenant {}: {} failed (attempt {} of {}): {}; retrying in {} ms [{}]", exchange.tenant(),
          exchange.what(), failed, policy.maxAttempts(), why, wait.toMillis(), trace));
      Executor later = CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS, blockingExecutor);
      // The wait is outside the tenant's turn: its other requests go on (unless Graph's Retry-After holds them all).
      return CompletableFuture.supplyAsync(() -> null, later).thenCompose(ignored -> next());
    }

    /** One blocking exchange on the blocking executor, holding a node permit while it runs. */
    CompletionStage<Attempt> sendOnce() {
      CompletableFuture<Attempt> result = new CompletableFuture<>();
      permits.acquire().thenRunAsync(() -> {
        Attempt sent = null;
        RuntimeException failure = null;
        try {
          sent = exchangeOnce();
        } catch (GraphAccessException e) {
          failure = e;
        } catch (RuntimeException e) {
          failure = GraphFailures.classify(exchange.tenant(), e);
        } finally {
          // Given back before the answer goes on: completing runs the caller's next steps on this thread, which
          // may want a permit (the next page) or count the permits in use.
          permits.release();
        }
        if (failure != null) {
          result.completeExceptionally(failure);
        } else {
          result.complete(sent);
        }
      }, blockingExecutor).exceptionally(refused -> {
        if (!result.isDone()) {
          // The executor refused the task (shutting down): hand back the permit we were given.
          permits.release();
          result.completeExceptionally(new GraphAccessException(exchange.tenant(), "The blocking executor refused "
              + "the call", refused));
        }
        return null;
      });
      return result;
    }

    /**
     * The blocking exchange. A failure to get a token (consent gone, app credential wrong, token endpoint down) is
     * thrown as the {@link GraphAccessException} it is and not retried here: MSAL asked the identity platform already.
     */
    Attempt exchangeOnce() {
      Request request = request();
      return withIds(() -> {
        try (Response response = clients.apply(exchange.tenant()).newCall(request).execute()) {
          ResponseBody responseBody = response.body();
          byte[] bytes = responseBody == null ? new byte[0] : responseBody.bytes();
          exchange.traffic().read(bytes.length);
          Optional<Duration> retryAfter = RetryAfter.parse(response.header("Retry-After"), clock);
          observer.answered(exchange.tenant(), response.code(), retryAfter);
          return new Attempt.Answered(answer(response, bytes), retryAfter);
        } catch (IOException e) {
          observer.unanswered(exchange.tenant());
          return new Attempt.NetworkFailure(e);
        }
      });
    }

    Request request() {
      RequestBody payload = exchange.body().map(json -> RequestBody.create(json.toString(), JSON_TYPE))
          .orElse(requiresBody(exchange.method()) ? RequestBody.create(new byte[0], JSON_TYPE) : null);
      Request.Builder request = new Request.Builder()
          .url(exchange.url())
          .method(exchange.method(), payload)
          .header("Accept", "application/json")
          .header(CLIENT_REQUEST_ID, clientRequestId)
          .tag(ObservabilityOptions.class, OBSERVABILITY)
          .tag(GraphTrafficCounter.class, exchange.traffic());
      exchange.headers().forEach(request::header);
      return request.build();
    }

    GraphAnswer answer(Response response, byte[] bytes) {
      JsonNode body = MissingNode.getInstance();
      Optional<String> unreadable = Optional.empty();
      if (bytes.length > 0) {
        try {
          body = JSON.readTree(bytes);
        } catch (IOException e) {
          unreadable = Optional.of("not valid JSON (" + bytes.length + " bytes: " + e.getMessage().lines().findFirst()
              .orElse("") + ")");
        }
      }
      return new GraphAnswer(response.code(), body == null ? MissingNode.getInstance() : body, unreadable,
          bytes.length, Optional.ofNullable(response.header("Location")), clientRequestId,
          Optional.ofNullable(response.header(REQUEST_ID)));
    }

    /** Runs a log statement with the request's ids in the MDC (callbacks run on whatever thread completed them). */
    void log(Runnable statement) {
      withIds(() -> {
        statement.run();
        return null;
      });
    }

    /** Runs {@code work} with the job's MDC (if any), {@link #MDC_TENANT} and {@link #MDC_CLIENT_REQUEST_ID} set. */
    <T> T withIds(Supplier<T> work) {
      Map<String, String> entries = new LinkedHashMap<>(exchange.job().map(JobMdc::entries).orElse(Map.of()));
      entries.put(MDC_TENANT, exchange.tenant());
      entries.put(MDC_CLIENT_REQUEST_ID, clientRequestId);
      return MdcScope.call(entries, work);
    }
  }

  private static boolean requiresBody(String method) {
    return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
  }

  /** A URL without its query (skip and delta tokens are not secrets, but they are long and opaque). */
  public static String redact(String url) {
    if (url == null) {
      return "(none)";
    }
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q) + "?…";
  }
}
