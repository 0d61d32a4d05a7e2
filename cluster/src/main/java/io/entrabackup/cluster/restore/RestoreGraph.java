package io.entrabackup.cluster.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.microsoft.kiota.http.ObservabilityOptions;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import io.entrabackup.cluster.graph.AuthorizationLostException;
import io.entrabackup.cluster.graph.GraphAccess;
import io.entrabackup.cluster.graph.GraphAccessException;
import io.entrabackup.cluster.graph.GraphFailures;
import io.entrabackup.cluster.graph.TransientGraphException;
import io.entrabackup.protocol.backup.GraphTraffic;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * A restore's requests to Microsoft Graph for one tenant, as Graph-shaped JSON through the Graph SDK's HTTP pipeline
 * ({@link GraphAccess#httpClient}: our MSAL4J token, the SDK's retry handler honouring Retry-After). Writes send the
 * snapshot's JSON values exactly as stored: the SDK's typed models would drop what they do not model (extension
 * attributes, newer properties). Throttling (429) and unavailability (503/504) that outlast the SDK's retries are
 * retried here, never sooner than Retry-After, up to {@code max-attempts}; every other answer goes back to the caller,
 * who decides whether it is a skip or a failure. Blocking calls run on the blocking executor.
 */
final class RestoreGraph {

  private static final Logger log = LoggerFactory.getLogger(RestoreGraph.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final ObservabilityOptions OBSERVABILITY = new ObservabilityOptions();

  private final GraphAccess graph;
  private final RestoreSettings settings;
  private final Executor blockingExecutor;
  private final String tenant;
  private final String baseUrl;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  RestoreGraph(GraphAccess graph, RestoreSettings settings, Executor blockingExecutor, String entraTenantId) {
    this.graph = graph;
    this.settings = settings;
    this.blockingExecutor = blockingExecutor;
    this.tenant = entraTenantId;
    this.baseUrl = graph.settings().graphBaseUrl();
  }

  CompletionStage<GraphResponse> get(String path) {
    return send("GET", path, null);
  }

  CompletionStage<GraphResponse> post(String path, JsonNode body) {
    return send("POST", path, body);
  }

  CompletionStage<GraphResponse> patch(String path, JsonNode body) {
    return send("PATCH", path, body);
  }

  CompletionStage<GraphResponse> delete(String path) {
    return send("DELETE", path, null);
  }

  /** The URL Graph wants in {@code @odata.id} references. */
  String directoryObjectUrl(String id) {
    return baseUrl + "/directoryObjects/" + id;
  }

  /**
   * Requests that really went out so far (the SDK's retries included, as a backup counts them), the 429s among their
   * answers and the bytes of the answers we read: shown on the restore's job.
   */
  GraphTraffic traffic() {
    return new GraphTraffic(requests.get(), throttled.get(), bytes.get());
  }

  private CompletionStage<GraphResponse> send(String method, String path, JsonNode body) {
    return attempt(method, path, body, 1, false);
  }

  private CompletionStage<GraphResponse> attempt(String method, String path, JsonNode body, int n,
      boolean afterUnauthorized) {
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    try {
      blockingExecutor.execute(() -> {
        try {
          result.complete(call(method, path, body, afterUnauthorized));
        } catch (RuntimeException e) {
          result.completeExceptionally(GraphFailures.classify(tenant, e));
        }
      });
    } catch (RuntimeException e) {
      result.completeExceptionally(new GraphAccessException(tenant, "The blocking executor refused the call", e));
    }
    return result.thenCompose(outcome -> {
      GraphResponse response = outcome.response();
      if (response.status() == 401) {
        if (afterUnauthorized) {
          return CompletableFuture.failedFuture(new AuthorizationLostException(tenant, "401", "Graph refused fresh "
              + "tokens for tenant " + tenant + " (" + response.describe() + "). A tenant admin must grant admin "
              + "consent again.", null));
        }
        graph.tokenRejected(tenant);
        return attempt(method, path, body, n, true);
      }
      boolean retriable = response.status() == 429 || response.status() == 503 || response.status() == 504
          || outcome.ioFailure();
      if (!retriable) {
        return CompletableFuture.completedFuture(response);
      }
      if (n >= settings.maxAttempts()) {
        return CompletableFuture.failedFuture(new TransientGraphException(tenant, method + " " + path + " failed "
            + n + " times: " + response.describe() + "; try the restore again later", null));
      }
      Duration wait = backoff(n, outcome.retryAfter());
      log.warn("Tenant {}: {} {} answered {} (attempt {} of {}); retrying in {} ms", tenant, method, path,
          response.status(), n, settings.maxAttempts(), wait.toMillis());
      Executor later = CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS, blockingExecutor);
      return CompletableFuture.supplyAsync(() -> null, later)
          .thenCompose(ignored -> attempt(method, path, body, n + 1, afterUnauthorized));
    });
  }

  /** Counts every request that goes out on the wire, so retries inside the SDK's handler are seen too. */
  private final Interceptor counting = chain -> {
    requests.incrementAndGet();
    Response response = chain.proceed(chain.request());
    if (response.code() == 429) {
      throttled.incrementAndGet();
    }
    return response;
  };

  private record Outcome(GraphResponse response, Optional<Duration> retryAfter, boolean ioFailure) {}

  /** One blocking request (the SDK's retry handler may send several). */
  private Outcome call(String method, String path, JsonNode body, boolean afterUnauthorized) {
    OkHttpClient http = graph.httpClient(tenant).newBuilder().addNetworkInterceptor(counting).build();
    RequestBody payload = body == null ? (method.equals("POST") ? RequestBody.create(new byte[0], JSON_TYPE) : null)
        : RequestBody.create(body.toString(), JSON_TYPE);
    Request request = new Request.Builder()
        .url(path.startsWith("http") ? path : baseUrl + path)
        .method(method, payload)
        .header("Accept", "application/json")
        // Kiota's handlers trace into a span made from these options; without them its retry handler fails.
        .tag(ObservabilityOptions.class, OBSERVABILITY)
        .tag(RetryHandlerOption.class, new RetryHandlerOption(RetryHandlerOption.DEFAULT_SHOULD_RETRY,
            settings.sdkMaxRetries(), Math.min(RetryHandlerOption.MAX_DELAY, settings.minBackoff().toSeconds())))
        .build();
    try (Response response = http.newCall(request).execute()) {
      ResponseBody responseBody = response.body();
      byte[] received = responseBody == null ? new byte[0] : responseBody.bytes();
      bytes.addAndGet(received.length);
      return new Outcome(new GraphResponse(response.code(), parse(received)),
          retryAfter(response.header("Retry-After")), false);
    } catch (IOException e) {
      return new Outcome(GraphResponse.empty(503), Optional.empty(), true);
    }
  }

  private Duration backoff(int attempt, Optional<Duration> retryAfter) {
    long exp = settings.minBackoff().toNanos() << Math.min(20, attempt - 1);
    long wait = Math.min(exp < 0 ? Long.MAX_VALUE : exp, settings.maxBackoff().toNanos());
    return Duration.ofNanos(retryAfter.map(after -> Math.max(after.toNanos(), 0)).orElse(wait));
  }

  /** Retry-After in (possibly fractional) seconds; Graph does not send the date form for throttling. */
  static Optional<Duration> retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    try {
      double seconds = Double.parseDouble(header.trim());
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofNanos((long) Math.ceil(seconds * 1e9)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static JsonNode parse(byte[] bytes) {
    if (bytes.length == 0) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }
}
