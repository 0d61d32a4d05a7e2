package io.entrabackup.simulator.graph;

import io.entrabackup.simulator.Services;
import io.entrabackup.simulator.http.Json;
import io.entrabackup.simulator.http.Resp;
import io.entrabackup.simulator.throttle.Faults;
import io.entrabackup.simulator.throttle.Throttle;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** How Graph misbehaves on purpose: the 429 answer of an exhausted budget, and each injected fault. */
final class GraphFaults {
  private final Services services;

  GraphFaults(Services services) {
    this.services = services;
  }

  static Resp throttled(Throttle.Rejection r, String requestId, String clientRequestId) {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("code", "429");
    inner.put("date", GraphRoutes.date());
    inner.put("message", "Please retry after");
    inner.put("request-id", requestId);
    inner.put("client-request-id", clientRequestId);
    inner.put("status", "429");
    Map<String, Object> body = Map.of("error", Json.map("code", "TooManyRequests", "innerError", inner,
        "message", "Please retry again later."));
    String retry = r.retryAfterHeader();
    return Resp.of(429, GraphRoutes.CONTENT_TYPE, Json.bytes(body)).header("Retry-After", retry)
        .header("x-ms-throttle-scope", r.scope()).header("x-ms-throttle-information", r.information());
  }

  Resp apply(Faults.Rule rule, GraphContext ctx, Function<GraphContext, Resp> route) {
    String retryAfter = rule.retryAfterSeconds == null ? null
        : rule.retryAfterSeconds == Math.floor(rule.retryAfterSeconds) ? Long.toString(rule.retryAfterSeconds.longValue())
        : String.format(Locale.ROOT, "%.3f", rule.retryAfterSeconds);
    switch (rule.kind) {
      case STATUS_503 -> {
        Resp r = GraphRoutes.error(503, "serviceNotAvailable", "The service is temporarily unavailable. Please retry later.",
            ctx.requestId(), ctx.clientRequestId());
        return retryAfter == null ? r : r.header("Retry-After", retryAfter);
      }
      case STATUS_504 -> {
        Resp r = GraphRoutes.error(504, "UnknownError", "Gateway Timeout", ctx.requestId(), ctx.clientRequestId());
        return retryAfter == null ? r : r.header("Retry-After", retryAfter);
      }
      case SLOW -> {
        return route.apply(ctx).withDelay(rule.delayMillis);
      }
      case RESET -> {
        return Resp.empty(500).withFault(Resp.Fault.RESET);
      }
      case TRUNCATE -> {
        return route.apply(ctx).withFault(Resp.Fault.TRUNCATE);
      }
      case EXPIRED_DELTA -> {
        if (ctx.req().param("$deltatoken") != null || ctx.req().param("$skiptoken") != null) {
          throw GraphException.syncStateNotFound();
        }
        return route.apply(ctx);
      }
      case EXPIRED_ACCESS_TOKEN -> {
        throw GraphException.unauthenticated("Lifetime validation failed, the token is expired.");
      }
      case GONE_410 -> {
        String collection = ctx.req().segment(1);
        return GraphRoutes.error(410, "resyncRequired", "Resync required. Replace any local items with the server's version (including deletes)"
            + " if you're sure that the service was up to date with your local changes when you last sync'd.",
            ctx.requestId(), ctx.clientRequestId()).header("Location", services.graphBaseUrl() + "/" + collection + "/delta");
      }
      default -> {
        return route.apply(ctx);
      }
    }
  }
}
