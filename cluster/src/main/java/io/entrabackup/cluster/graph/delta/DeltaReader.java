package io.entrabackup.cluster.graph.delta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.kiota.http.ObservabilityOptions;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import io.entrabackup.cluster.graph.AuthorizationLostException;
import io.entrabackup.cluster.graph.GraphAccess;
import io.entrabackup.cluster.graph.GraphAccessException;
import io.entrabackup.cluster.graph.GraphFailures;
import io.entrabackup.cluster.graph.TransientGraphException;
import io.entrabackup.protocol.backup.ObjectType;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one round of Microsoft Graph for one tenant and one object type as a stream of raw pages: delta queries for
 * users, groups and directory roles, paged lists for role definitions and role assignments. One page is in memory at a
 * time; the next one is requested only when the stream asks for it.
 *
 * <p>Requests go through the tenant's OkHttp client from {@link GraphAccess#httpClient} (the SDK's middleware:
 * authorization with our MSAL4J tokens, the retry handler honouring Retry-After). When the SDK's retry handler gives up
 * (429/503/504 still), or the connection breaks, or the body is cut, the same page URL is retried here with exponential
 * backoff honouring Retry-After, up to {@code max-page-retries}: links are idempotent GETs, so no page is skipped or
 * read twice. Every request of a tenant, whichever round sends it, passes the tenant's {@link TenantRequestGate}: one at
 * a time, paced to {@code requests-per-second-per-tenant}, none inside a Retry-After window; requests in flight on the
 * node are limited by {@link GraphRequestPermits}. Blocking calls run on the blocking executor.
 */
public final class DeltaReader {
  private static final Logger log = LoggerFactory.getLogger(DeltaReader.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_RESTARTS = 3;
  private static final ObservabilityOptions OBSERVABILITY = new ObservabilityOptions();

  private final GraphAccess graph;
  private final DeltaSettings settings;
  private final Executor blockingExecutor;
  private final GraphRequestPermits permits;
  private final TenantRequestGate gate;
  private final long sdkDelaySeconds;

  /** A reader with its own per-node request limit ({@code max-concurrent-requests-per-node}). */
  public DeltaReader(GraphAccess graph, DeltaSettings settings, Executor blockingExecutor) {
    this(graph, settings, blockingExecutor, new GraphRequestPermits(settings.maxConcurrentRequestsPerNode()));
  }

  /** A reader sharing the node's request limit with others. */
  public DeltaReader(GraphAccess graph, DeltaSettings settings, Executor blockingExecutor, GraphRequestPermits permits) {
    this.graph = Objects.requireNonNull(graph, "graph");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.blockingExecutor = Objects.requireNonNull(blockingExecutor, "blockingExecutor");
    this.permits = Objects.requireNonNull(permits, "permits");
    this.gate = new TenantRequestGate(settings.requestsPerSecondPerTenant(), blockingExecutor);
    // The SDK's retry handler waits Retry-After when given, else delay * 2^n seconds (whole seconds, at most 180).
    this.sdkDelaySeconds = Math.min(RetryHandlerOption.MAX_DELAY, settings.minBackoff().toSeconds());
  }

  /** The node's request limit this reader uses. */
  public GraphRequestPermits permits() {
    return permits;
  }

  /**
   * One round: from {@code deltaLink} when given (incremental), else a full round. An expired or invalid deltaLink (400
   * {@code syncStateNotFound}, or 410 Gone) restarts as a full round inside the same Source (its pages then have
   * {@code fullRound = true}). For ROLE_DEFINITIONS / ROLE_ASSIGNMENTS (no delta in Graph v1.0): the paged lists of
   * {@code /roleManagement/directory/roleDefinitions} and {@code /roleAssignments}, always full, never a deltaLink.
   * Fails with {@link AuthorizationLostException}, {@link TransientGraphException} (retries exhausted),
   * {@link MalformedPageException} or another {@link GraphAccessException}.
   */
  public Source<DeltaPage, NotUsed> round(String entraTenantId, ObjectType type, Optional<String> deltaLink) {
    Objects.requireNonNull(entraTenantId, "entraTenantId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(deltaLink, "deltaLink");
    boolean isDelta = isDelta(type);
    if (!isDelta && deltaLink.isPresent()) {
      throw new IllegalArgumentException(type.apiName() + " has no delta in Graph v1.0: no deltaLink may be given");
    }
    return Source.lazySource(() -> {
          Round round = new Round(entraTenantId, type, initialUrl(type));
          Cursor first = deltaLink.map(link -> new Cursor(link, false, 1, false))
              .orElseGet(() -> new Cursor(round.initialUrl, true, 1, false));
          return Source.unfoldAsync(first, cursor -> cursor.done
              ? CompletableFuture.completedFuture(Optional.<Pair<Cursor, DeltaPage>>empty())
              : round.read(cursor).thenApply(Optional::of));
        })
        .mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  static boolean isDelta(ObjectType type) {
    return type == ObjectType.USERS || type == ObjectType.GROUPS || type == ObjectType.DIRECTORY_ROLES;
  }

  /** The first URL of a full round: {@code /users/delta?$select=...}, or a role management list. */
  String initialUrl(ObjectType type) {
    HttpUrl base = HttpUrl.get(graph.settings().graphBaseUrl());
    HttpUrl.Builder url = base.newBuilder();
    switch (type) {
      case USERS, GROUPS, DIRECTORY_ROLES -> {
        url.addPathSegment(type.apiName()).addPathSegment("delta");
        url.addQueryParameter("$select", String.join(",", Selects.of(type)));
      }
      case ROLE_DEFINITIONS, ROLE_ASSIGNMENTS ->
          url.addPathSegment("roleManagement").addPathSegment("directory").addPathSegment(type.apiName());
    }
    return url.build().toString();
  }

  /** Where the round is: the URL of the next page to read. */
  private record Cursor(String url, boolean fullRound, int pageNumber, boolean done) {}

  /** Per-page counters, filled by the network interceptor (every request that really went out, retries included). */
  private static final class PageTraffic {
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger throttled = new AtomicInteger();
    final AtomicLong bytes = new AtomicLong();
  }

  private static final Interceptor COUNTING = chain -> {
    PageTraffic traffic = chain.request().tag(PageTraffic.class);
    if (traffic != null) {
      traffic.requests.incrementAndGet();
    }
    Response response = chain.proceed(chain.request());
    if (traffic != null && response.code() == 429) {
      traffic.throttled.incrementAndGet();
    }
    return response;
  };

  /** What one attempt at a page gave. */
  private sealed interface Outcome {
    record Page(ObjectNode body, long bytes) implements Outcome {}
    /** The link expired (400 syncStateNotFound / 410 Gone): start a full round. */
    record Restart(String why) implements Outcome {}
    /** Worth another attempt after {@code retryAfter} (if Graph said) or backoff. */
    record Retry(String why, Optional<Duration> retryAfter, boolean malformed, Throwable cause, boolean unauthorized)
        implements Outcome {}
  }

  /** One round's state: fixed tenant, type and HTTP client. */
  private final class Round {
    final String tenant;
    final ObjectType type;
    final String initialUrl;
    final OkHttpClient http;
    int restarts;

    Round(String tenant, ObjectType type, String initialUrl) {
      this.tenant = tenant;
      this.type = type;
      this.initialUrl = initialUrl;
      this.http = graph.httpClient(tenant).newBuilder().addNetworkInterceptor(COUNTING).build();
    }

    CompletionStage<Pair<Cursor, DeltaPage>> read(Cursor cursor) {
      PageTraffic traffic = new PageTraffic();
      return attempt(cursor, 1, traffic, null).thenCompose(outcome -> {
        if (outcome instanceof Outcome.Restart restart) {
          if (++restarts > MAX_RESTARTS) {
            return CompletableFuture.failedFuture(new TransientGraphException(tenant, "Round of " + type.apiName()
                + " for tenant " + tenant + " restarted " + MAX_RESTARTS + " times and still fails: " + restart.why(),
                null));
          }
          log.warn("Tenant {}: {} link no longer valid ({}); starting a full round", tenant, type.apiName(),
              restart.why());
          // The restart's requests belong to the first page of the full round.
          return read(new Cursor(initialUrl, true, 1, false)).thenApply(pair -> withTraffic(pair, traffic));
        }
        Outcome.Page page = (Outcome.Page) outcome;
        return CompletableFuture.completedFuture(toPage(cursor, page, traffic));
      });
    }

    Pair<Cursor, DeltaPage> withTraffic(Pair<Cursor, DeltaPage> pair, PageTraffic earlier) {
      DeltaPage p = pair.second();
      return Pair.create(pair.first(), new DeltaPage(p.objects(), p.deltaLink(), p.last(), p.fullRound(),
          p.requests() + earlier.requests.get(), p.throttled() + earlier.throttled.get(),
          p.bytes() + earlier.bytes.get()));
    }

    Pair<Cursor, DeltaPage> toPage(Cursor cursor, Outcome.Page page, PageTraffic traffic) {
      ObjectNode body = page.body();
      JsonNode value = body.get("value");
      List<ObjectNode> objects = new ArrayList<>(value.size());
      value.forEach(node -> objects.add((ObjectNode) node));
      Optional<String> next = text(body, "@odata.nextLink");
      Optional<String> delta = text(body, "@odata.deltaLink");
      boolean last = next.isEmpty();
      DeltaPage result = new DeltaPage(objects, delta, last, cursor.fullRound(), traffic.requests.get(),
          traffic.throttled.get(), traffic.bytes.get());
      log.debug("Tenant {}: {} page {} ({} round): {} objects, {} requests, {} throttled, {} bytes{}", tenant,
          type.apiName(), cursor.pageNumber(), cursor.fullRound() ? "full" : "incremental", objects.size(),
          result.requests(), result.throttled(), result.bytes(), last ? ", last" : "");
      Cursor following = last ? new Cursor(null, cursor.fullRound(), cursor.pageNumber() + 1, true)
          : new Cursor(next.get(), cursor.fullRound(), cursor.pageNumber() + 1, false);
      return Pair.create(following, result);
    }

    /**
     * Attempt {@code n} at the cursor's page: the tenant's turn, a node permit, the blocking call, then retry or
     * finish. The turn is given back with Graph's Retry-After, which then holds every request of the tenant. The SDK's
     * own retries happen inside the call, so inside the turn: no other request of the tenant goes out meanwhile.
     */
    CompletionStage<Outcome> attempt(Cursor cursor, int n, PageTraffic traffic, Outcome.Retry previous) {
      CompletionStage<Outcome> answered = gate.enter(tenant).thenCompose(pass -> send(cursor, traffic, previous)
          .whenComplete((outcome, error) -> pass.leave(outcome instanceof Outcome.Retry retry
              ? retry.retryAfter()
              : Optional.empty())));
      return answered.thenCompose(outcome -> {
        if (!(outcome instanceof Outcome.Retry retry)) {
          return CompletableFuture.completedFuture(outcome);
        }
        if (n > settings.maxPageRetries()) {
          return CompletableFuture.failedFuture(exhausted(cursor, n, retry));
        }
        Duration wait = backoff(n, retry.retryAfter());
        log.warn("Tenant {}: page {} of {} failed (attempt {} of {}): {}; retrying in {} ms", tenant,
            cursor.pageNumber(), type.apiName(), n, settings.maxPageRetries() + 1, retry.why(), wait.toMillis());
        Executor later = CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS, blockingExecutor);
        return CompletableFuture.supplyAsync(() -> null, later)
            .thenCompose(ignored -> attempt(cursor, n + 1, traffic, retry));
      });
    }

    /** One blocking call on the blocking executor, holding a node permit while it runs. */
    CompletionStage<Outcome> send(Cursor cursor, PageTraffic traffic, Outcome.Retry previous) {
      CompletableFuture<Outcome> result = new CompletableFuture<>();
      permits.acquire().thenRunAsync(() -> {
        Outcome outcome;
        try {
          outcome = fetch(cursor, traffic, previous != null && previous.unauthorized());
        } catch (GraphAccessException e) {
          permits.release();
          result.completeExceptionally(e);
          return;
        } catch (RuntimeException e) {
          permits.release();
          result.completeExceptionally(GraphFailures.classify(tenant, e));
          return;
        }
        permits.release();
        result.complete(outcome);
      }, blockingExecutor).exceptionally(failure -> {
        // The executor refused the task (shutting down): hand back the permit we were given.
        permits.release();
        result.completeExceptionally(new GraphAccessException(tenant, "The blocking executor refused the call", failure));
        return null;
      });
      return result;
    }

    GraphAccessException exhausted(Cursor cursor, int attempts, Outcome.Retry retry) {
      String message = "page " + cursor.pageNumber() + " of " + type.apiName() + " failed after " + attempts
          + " attempts: " + retry.why() + " (tenant " + tenant + ", " + redact(cursor.url()) + ")";
      if (retry.unauthorized()) {
        return new AuthorizationLostException(tenant, "InvalidAuthenticationToken", "Graph refused fresh tokens for "
            + "tenant " + tenant + ": " + message + ". A tenant admin must grant admin consent again.", retry.cause());
      }
      if (retry.malformed()) {
        return new MalformedPageException(tenant, cursor.url(), message, retry.cause());
      }
      return new TransientGraphException(tenant, message, retry.cause());
    }

    Duration backoff(int attempt, Optional<Duration> retryAfter) {
      long min = settings.minBackoff().toNanos();
      long exp = min << Math.min(20, attempt - 1);
      long wait = Math.min(exp < 0 ? Long.MAX_VALUE : exp, settings.maxBackoff().toNanos());
      if (retryAfter.isPresent()) {
        wait = Math.max(wait, retryAfter.get().toNanos());
      }
      return Duration.ofNanos(wait);
    }

    /** One blocking attempt (the SDK's retry handler may send several requests). Runs on the blocking executor. */
    Outcome fetch(Cursor cursor, PageTraffic traffic, boolean afterUnauthorized) {
      if (afterUnauthorized) {
        graph.tokenRejected(tenant);
      }
      Request request = new Request.Builder()
          .url(cursor.url())
          .get()
          .header("Prefer", "odata.maxpagesize=" + settings.maxPageSize())
          .header("Accept", "application/json")
          .tag(PageTraffic.class, traffic)
          // Kiota's handlers trace into a span made from these options (its request adapter sets them on every
          // request); without them the retry handler fails with a NullPointerException when it retries.
          .tag(ObservabilityOptions.class, OBSERVABILITY)
          .tag(RetryHandlerOption.class, new RetryHandlerOption(RetryHandlerOption.DEFAULT_SHOULD_RETRY,
              settings.sdkMaxRetries(), sdkDelaySeconds))
          .build();
      byte[] body;
      int status;
      Optional<Duration> retryAfter;
      String location;
      try (Response response = http.newCall(request).execute()) {
        status = response.code();
        retryAfter = retryAfter(response.header("Retry-After"));
        location = response.header("Location");
        ResponseBody responseBody = response.body();
        body = responseBody == null ? new byte[0] : responseBody.bytes();
        traffic.bytes.addAndGet(body.length);
      } catch (IOException e) {
        return new Outcome.Retry(e.getClass().getSimpleName() + ": " + e.getMessage(), Optional.empty(), false, e,
            false);
      }
      if (status == 200) {
        return parse(cursor, body);
      }
      ErrorInfo error = ErrorInfo.of(body);
      String said = status + (error.code.isEmpty() ? "" : " " + error.code) + (error.message.isEmpty() ? ""
          : ": " + error.message);
      if (status == 410 || (status == 400 && "syncStateNotFound".equalsIgnoreCase(error.code))) {
        if (cursor.url().equals(initialUrl)) {
          throw new GraphAccessException(tenant, "Graph answered " + said + " to the first page of a full round of "
              + type.apiName() + " for tenant " + tenant, null);
        }
        return new Outcome.Restart(said + (location == null ? "" : " (Location given)"));
      }
      if (status == 401) {
        if (afterUnauthorized) {
          throw new AuthorizationLostException(tenant, error.code.isEmpty() ? "401" : error.code, "Graph refused our "
              + "token for tenant " + tenant + " twice, the second freshly fetched (" + said + "). A tenant admin must "
              + "grant admin consent again.", null);
        }
        // Perhaps just expired early: forget it and try once more with a fresh one.
        return new Outcome.Retry(said, Optional.empty(), false, null, true);
      }
      if (status == 403) {
        throw new AuthorizationLostException(tenant, error.code.isEmpty() ? "403" : error.code, "Graph denied "
            + "access to " + type.apiName() + " in tenant " + tenant + " (" + said + "). The consented permissions do "
            + "not cover this; a tenant admin must grant admin consent again.", null);
      }
      if (status == 429 || status >= 500) {
        return new Outcome.Retry(said, retryAfter, false, null, false);
      }
      throw new GraphAccessException(tenant, "Graph answered " + said + " for " + type.apiName() + " of tenant "
          + tenant + " (" + redact(cursor.url()) + ")", null);
    }

    Outcome parse(Cursor cursor, byte[] body) {
      JsonNode tree;
      try {
        tree = JSON.readTree(body);
      } catch (JsonProcessingException e) {
        return new Outcome.Retry("page at " + redact(cursor.url()) + " is not valid JSON (" + body.length + " bytes: "
            + e.getOriginalMessage() + ")", Optional.empty(), true, e, false);
      } catch (IOException e) {
        return new Outcome.Retry("reading the page failed: " + e.getMessage(), Optional.empty(), true, e, false);
      }
      String problem = shapeProblem(tree);
      if (problem != null) {
        return new Outcome.Retry("page at " + redact(cursor.url()) + " is not a Graph page: " + problem,
            Optional.empty(), true, null, false);
      }
      return new Outcome.Page((ObjectNode) tree, body.length);
    }

    String shapeProblem(JsonNode tree) {
      if (tree == null || !tree.isObject()) {
        return "not a JSON object";
      }
      JsonNode value = tree.get("value");
      if (value == null || !value.isArray()) {
        return "no value array";
      }
      for (JsonNode node : value) {
        if (!node.isObject()) {
          return "an element of value is not an object";
        }
      }
      boolean next = tree.hasNonNull("@odata.nextLink");
      boolean delta = tree.hasNonNull("@odata.deltaLink");
      if (next && delta) {
        return "both @odata.nextLink and @odata.deltaLink";
      }
      if (isDelta(type) && !next && !delta) {
        return "neither @odata.nextLink nor @odata.deltaLink";
      }
      return null;
    }
  }

  private record ErrorInfo(String code, String message) {
    static ErrorInfo of(byte[] body) {
      try {
        JsonNode error = JSON.readTree(body).path("error");
        return new ErrorInfo(error.path("code").asText(""), error.path("message").asText("").replaceAll("\\s+", " "));
      } catch (IOException | RuntimeException e) {
        return new ErrorInfo("", "");
      }
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }

  /** Retry-After in seconds (fractional allowed, like {@code 2.128}) or as an HTTP date. */
  static Optional<Duration> retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    try {
      double seconds = Double.parseDouble(header.trim());
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofNanos((long) Math.ceil(seconds * 1e9)));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (RuntimeException ignored) {
        return Optional.empty();
      }
    }
  }

  /** A link without its query (skip and delta tokens are not secrets, but they are long and opaque). */
  static String redact(String url) {
    if (url == null) {
      return "(none)";
    }
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q) + "?…";
  }
}
