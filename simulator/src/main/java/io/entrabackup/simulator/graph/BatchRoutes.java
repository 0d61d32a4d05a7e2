package io.entrabackup.simulator.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.simulator.http.Json;
import io.entrabackup.simulator.http.Req;
import io.entrabackup.simulator.http.Resp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * JSON batching ({@code POST /v1.0/$batch}): up to 20 requests, each run as if sent alone (authentication,
 * permissions, throttling, faults), answered together; {@code dependsOn} on a failed request gives 424.
 */
final class BatchRoutes {
  private static final int MAX_REQUESTS = 20;

  /** Runs the batch; {@code single} handles one Graph request and reports its RU. */
  GraphRoutes.Outcome handle(Req outer, Function<Req, GraphRoutes.Outcome> single) {
    String requestId = UUID.randomUUID().toString();
    ObjectNode body = Json.object(outer.body());
    JsonNode requests = body == null ? null : body.get("requests");
    if (requests == null || !requests.isArray() || requests.isEmpty()) {
      return refuse("Invalid batch payload: a non-empty 'requests' array is required.", requestId);
    }
    if (requests.size() > MAX_REQUESTS) {
      return refuse("Number of batch request steps exceeds the maximum of " + MAX_REQUESTS + ".", requestId);
    }
    Map<String, Integer> statusById = new HashMap<>();
    List<Map<String, Object>> responses = new ArrayList<>();
    int ru = 0;
    for (JsonNode r : requests) {
      String id = r.path("id").asText(null);
      String method = r.path("method").asText("").toUpperCase(Locale.ROOT);
      String url = r.path("url").asText(null);
      if (id == null || url == null || method.isEmpty() || statusById.containsKey(id)) {
        return refuse("Each batch request needs a unique 'id', a 'method' and a 'url'.", requestId);
      }
      Map<String, Object> answer;
      String failedDependency = failedDependency(r.path("dependsOn"), statusById);
      if (failedDependency != null) {
        answer = item(id, 424, Map.of(), Map.of("error", Map.of("code", "FailedDependency",
            "message", "Request '" + id + "' depends on request '" + failedDependency + "', which failed.")));
      } else {
        GraphRoutes.Outcome o = single.apply(subRequest(outer, method, url, r));
        ru += o.resourceUnits();
        answer = item(id, o.resp().status(), headersOf(o.resp()), o.resp().body().length == 0 ? null : parse(o.resp().body()));
      }
      statusById.put(id, (Integer) answer.get("status"));
      responses.add(answer);
    }
    Resp resp = GraphRoutes.ok(Map.of("responses", responses));
    resp.header("request-id", requestId);
    return new GraphRoutes.Outcome(resp, ru, false);
  }

  private static String failedDependency(JsonNode dependsOn, Map<String, Integer> statusById) {
    for (JsonNode d : dependsOn) {
      Integer status = statusById.get(d.asText());
      if (status == null || status >= 400) {
        return d.asText();
      }
    }
    return null;
  }

  private static Req subRequest(Req outer, String method, String url, JsonNode r) {
    String relative = url.startsWith("/") ? url : "/" + url;
    int q = relative.indexOf('?');
    String path = "/v1.0" + (q < 0 ? relative : relative.substring(0, q));
    String query = q < 0 ? "" : relative.substring(q + 1);
    Map<String, String> headers = new HashMap<>();
    r.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
    if (outer.header("authorization") != null) {
      headers.put("authorization", outer.header("authorization"));
    }
    byte[] body = r.has("body") ? Json.bytes(r.get("body")) : new byte[0];
    return Req.of(method, path, query, headers, body);
  }

  private static Map<String, Object> item(String id, int status, Map<String, String> headers, Object body) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("status", status);
    m.put("headers", headers);
    if (body != null) {
      m.put("body", body);
    }
    return m;
  }

  private static Map<String, String> headersOf(Resp resp) {
    Map<String, String> h = new LinkedHashMap<>(resp.headers());
    if (resp.contentType() != null && resp.body().length > 0) {
      h.put("Content-Type", resp.contentType());
    }
    return h;
  }

  private static Object parse(byte[] body) {
    try {
      return Json.MAPPER.readValue(body, Object.class);
    } catch (java.io.IOException e) {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private static GraphRoutes.Outcome refuse(String message, String requestId) {
    return new GraphRoutes.Outcome(GraphRoutes.error(400, "BadRequest", message, requestId, requestId), 0, false);
  }
}
