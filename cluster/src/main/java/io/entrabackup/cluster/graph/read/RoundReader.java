package io.entrabackup.cluster.graph.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.graph.AuthorizationLostException;
import io.entrabackup.cluster.graph.GraphAccess;
import io.entrabackup.cluster.graph.GraphAccessException;
import io.entrabackup.cluster.graph.MalformedPageException;
import io.entrabackup.cluster.graph.TransientGraphException;
import io.entrabackup.cluster.graph.http.GraphAnswer;
import io.entrabackup.cluster.graph.http.GraphExchange;
import io.entrabackup.cluster.graph.http.GraphHttp;
import io.entrabackup.cluster.graph.http.GraphTrafficCounter;
import io.entrabackup.cluster.job.JobMdc;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.ObjectType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import okhttp3.HttpUrl;
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
 * <p>Only paging and URLs are decided here. Each page is one logical request through the node's {@link GraphHttp}
 * (retries, Retry-After, the tenant's pacing, the node's limit, tracing: see cluster/GRAPH.md) under the
 * {@code entra-backup.graph.delta} budget; a page whose body is not a Graph page is retried within that budget like a
 * cut connection. Links are idempotent GETs, so a retried page is neither skipped nor read twice.
 */
public final class RoundReader {
  private static final Logger log = LoggerFactory.getLogger(RoundReader.class);
  private static final int MAX_RESTARTS = 3;

  private final GraphAccess graph;
  private final ReadSettings settings;

  public RoundReader(GraphAccess graph, ReadSettings settings) {
    this.graph = Objects.requireNonNull(graph, "graph");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * One round: from {@code deltaLink} when given (incremental), else a full round. An expired or invalid deltaLink (400
   * {@code syncStateNotFound}, or 410 Gone) restarts as a full round inside the same Source (its pages then have
   * {@code fullRound = true}). For ROLE_DEFINITIONS / ROLE_ASSIGNMENTS (no delta in Graph v1.0): the paged lists of
   * {@code /roleManagement/directory/roleDefinitions} and {@code /roleAssignments}, always full, never a deltaLink.
   * Fails with {@link AuthorizationLostException}, {@link TransientGraphException} (retries exhausted),
   * {@link MalformedPageException} or another {@link GraphAccessException}.
   */
  public Source<RoundPage, NotUsed> round(String entraTenantId, ObjectType type, Optional<String> deltaLink) {
    return round(entraTenantId, type, deltaLink, Optional.empty());
  }

  /** {@link #round} as part of {@code job}: its Graph requests carry the job's request id and MDC. */
  public Source<RoundPage, NotUsed> round(String entraTenantId, ObjectType type, Optional<String> deltaLink,
      Optional<JobMdc> job) {
    Objects.requireNonNull(entraTenantId, "entraTenantId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(deltaLink, "deltaLink");
    if (!type.hasDelta() && deltaLink.isPresent()) {
      throw new IllegalArgumentException(type.apiName() + " has no delta in Graph v1.0: no deltaLink may be given");
    }
    return Source.lazySource(() -> {
          Round round = new Round(entraTenantId, type, initialUrl(type), job);
          Cursor first = deltaLink.map(link -> new Cursor(link, false, 1, false))
              .orElseGet(() -> new Cursor(round.initialUrl, true, 1, false));
          return Source.unfoldAsync(first, cursor -> cursor.done
              ? CompletableFuture.completedFuture(Optional.<Pair<Cursor, RoundPage>>empty())
              : round.read(cursor, GraphTraffic.NONE).thenApply(Optional::of));
        })
        .mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  /** The first URL of a full round: {@code /users/delta?$select=...}, or a role management list. */
  String initialUrl(ObjectType type) {
    HttpUrl base = HttpUrl.get(graph.settings().graphBaseUrl());
    HttpUrl.Builder url = base.newBuilder();
    if (type.hasDelta()) {
      url.addPathSegment(type.apiName()).addPathSegment("delta");
      url.addQueryParameter("$select", String.join(",", Selects.of(type)));
    } else {
      // Graph v1.0 lists role definitions and assignments under role management, without delta.
      url.addPathSegment("roleManagement").addPathSegment("directory").addPathSegment(type.apiName());
    }
    return url.build().toString();
  }

  /** Where the round is: the URL of the next page to read. */
  private record Cursor(String url, boolean fullRound, int pageNumber, boolean done) {}

  /** One round's state: fixed tenant and type. */
  private final class Round {
    final String tenant;
    final ObjectType type;
    final String initialUrl;
    final Optional<JobMdc> job;
    int restarts;

    Round(String tenant, ObjectType type, String initialUrl, Optional<JobMdc> job) {
      this.tenant = tenant;
      this.type = type;
      this.initialUrl = initialUrl;
      this.job = job;
    }

    /** Reads the cursor's page; {@code earlier} is traffic of a restarted link, counted on this page. */
    CompletionStage<Pair<Cursor, RoundPage>> read(Cursor cursor, GraphTraffic earlier) {
      GraphTrafficCounter traffic = new GraphTrafficCounter();
      GraphExchange page = GraphExchange.of(tenant, "GET", cursor.url(), Optional.empty(),
              "page " + cursor.pageNumber() + " of " + type.apiName(), settings.retryPolicy(), traffic)
          .withHeaders(Map.of("Prefer", "odata.maxpagesize=" + settings.maxPageSize()))
          .withBodyCheck(answer -> notAPage(cursor, answer))
          .forJob(job);
      return graph.http().send(page).thenCompose(answer -> {
        GraphTraffic spent = earlier.plus(traffic.total());
        if (answer.ok()) {
          return CompletableFuture.completedFuture(toPage(cursor, answer, spent));
        }
        if (isExpiredLink(answer)) {
          return restart(cursor, answer, spent);
        }
        return CompletableFuture.failedFuture(refusal(cursor, answer));
      });
    }

    /** The link expired (400 syncStateNotFound / 410 Gone): read the round again from its start, as a full round. */
    CompletionStage<Pair<Cursor, RoundPage>> restart(Cursor cursor, GraphAnswer answer, GraphTraffic spent) {
      String said = answer.describe() + (answer.location().isPresent() ? " (Location given)" : "");
      if (cursor.url().equals(initialUrl)) {
        return CompletableFuture.failedFuture(new GraphAccessException(tenant, "Graph answered " + said + " to the "
            + "first page of a full round of " + type.apiName() + " for tenant " + tenant + " [" + answer.trace() + "]",
            null));
      }
      if (++restarts > MAX_RESTARTS) {
        return CompletableFuture.failedFuture(new TransientGraphException(tenant, "Round of " + type.apiName()
            + " for tenant " + tenant + " restarted " + MAX_RESTARTS + " times and still fails: " + said, null));
      }
      log.warn("Tenant {}: {} link no longer valid ({}); starting a full round", tenant, type.apiName(), said);
      // The restart's requests belong to the first page of the full round.
      return read(new Cursor(initialUrl, true, 1, false), spent);
    }

    boolean isExpiredLink(GraphAnswer answer) {
      return answer.status() == 410
          || (answer.status() == 400 && "syncStateNotFound".equalsIgnoreCase(answer.errorCode()));
    }

    GraphAccessException refusal(Cursor cursor, GraphAnswer answer) {
      String code = answer.errorCode();
      if (answer.status() == 403) {
        return new AuthorizationLostException(tenant, code.isEmpty() ? "403" : code, "Graph denied access to "
            + type.apiName() + " in tenant " + tenant + " (" + answer.describe() + ", " + answer.trace() + "). The "
            + "consented permissions do not cover this; a tenant admin must grant admin consent again.", null);
      }
      return new GraphAccessException(tenant, "Graph answered " + answer.describe() + " for " + type.apiName()
          + " of tenant " + tenant + " (" + GraphHttp.redact(cursor.url()) + ", " + answer.trace() + ")", null);
    }

    Pair<Cursor, RoundPage> toPage(Cursor cursor, GraphAnswer answer, GraphTraffic traffic) {
      JsonNode body = answer.body();
      List<ObjectNode> objects = new ArrayList<>(body.get("value").size());
      body.get("value").forEach(node -> objects.add((ObjectNode) node));
      Optional<String> next = text(body, "@odata.nextLink");
      Optional<String> delta = text(body, "@odata.deltaLink");
      boolean last = next.isEmpty();
      RoundPage result = new RoundPage(objects, delta, last, cursor.fullRound(), (int) traffic.requests(),
          (int) traffic.throttled(), traffic.bytes());
      log.debug("Tenant {}: {} page {} ({} round): {} objects, {} requests, {} throttled, {} bytes{}", tenant,
          type.apiName(), cursor.pageNumber(), cursor.fullRound() ? "full" : "incremental", objects.size(),
          result.requests(), result.throttled(), result.bytes(), last ? ", last" : "");
      Cursor following = last ? new Cursor(null, cursor.fullRound(), cursor.pageNumber() + 1, true)
          : new Cursor(next.get(), cursor.fullRound(), cursor.pageNumber() + 1, false);
      return Pair.create(following, result);
    }

    /** Why a 2xx answer is not a Graph page of this round (then it is retried), or empty. */
    Optional<String> notAPage(Cursor cursor, GraphAnswer answer) {
      String at = "page at " + GraphHttp.redact(cursor.url());
      if (answer.unreadable().isPresent()) {
        return Optional.of(at + " is " + answer.unreadable().get());
      }
      String problem = shapeProblem(answer.body());
      return problem == null ? Optional.empty() : Optional.of(at + " is not a Graph page: " + problem);
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
      if (type.hasDelta() && !next && !delta) {
        return "neither @odata.nextLink nor @odata.deltaLink";
      }
      return null;
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }
}
