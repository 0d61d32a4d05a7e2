package io.entrabackup.simulator.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorFixture;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BatchTest {
  @RegisterExtension
  final SimulatorFixture f = SimulatorFixture.start();

  private static Map<String, Object> step(String id, String method, String url, Object body, String... dependsOn) {
    Map<String, Object> m = new HashMap<>();
    m.put("id", id);
    m.put("method", method);
    m.put("url", url);
    if (body != null) {
      m.put("body", body);
      m.put("headers", Map.of("Content-Type", "application/json"));
    }
    if (dependsOn.length > 0) {
      m.put("dependsOn", List.of(dependsOn));
    }
    return m;
  }

  private Map<String, JsonNode> run(List<Map<String, Object>> steps) {
    HttpResponse<String> r = f.write("POST", "/$batch", Map.of("requests", steps));
    assertEquals(200, r.statusCode(), r.body());
    Map<String, JsonNode> byId = new HashMap<>();
    SimulatorFixture.json(r.body()).get("responses").forEach(x -> byId.put(x.get("id").asText(), x));
    return byId;
  }

  @Test
  void aBatchRunsEachRequestAsIfAloneAndAnswersPerRequest() {
    String user = f.getJson("/users/admin@" + f.tenant.domain()).get("id").asText();
    Map<String, JsonNode> r = run(List.of(
        step("1", "GET", "/users?$top=2&$select=id,displayName", null),
        step("2", "PATCH", "/users/" + user, Map.of("usageLocation", "NO")),
        step("3", "GET", "/users/0f0f0f0f-0000-4000-8000-000000000000", null),
        step("4", "PATCH", "users/" + user, Map.of("id", "x"), "2"),
        step("5", "GET", "/organization", null, "3")));
    assertEquals(2, r.get("1").get("body").get("value").size());
    assertEquals(204, r.get("2").get("status").asInt());
    assertEquals(404, r.get("3").get("status").asInt());
    assertEquals("Request_ResourceNotFound", r.get("3").get("body").get("error").get("code").asText());
    assertEquals(400, r.get("4").get("status").asInt(), "read-only property refused inside a batch too");
    assertEquals(424, r.get("5").get("status").asInt(), "depends on a failed request");
    assertEquals("NO", f.getJson("/users/" + user + "?$select=usageLocation").get("usageLocation").asText());
  }

  @Test
  void moreThanTwentyRequestsAreRefused() {
    List<Map<String, Object>> steps = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      steps.add(step(Integer.toString(i), "GET", "/organization", null));
    }
    assertEquals(400, f.write("POST", "/$batch", Map.of("requests", steps)).statusCode());
  }

  @Test
  void requestsInABatchAreThrottledOneByOneWithRetryAfterInTheirHeaders() {
    f.sim.admin().throttle(0.001, true, null);
    List<Map<String, Object>> steps = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      steps.add(step(Integer.toString(i), "GET", "/organization", null));
    }
    Map<String, JsonNode> r = run(steps);
    long throttled = r.values().stream().filter(x -> x.get("status").asInt() == 429).count();
    assertTrue(throttled >= 2, "throttled " + throttled);
    JsonNode one = r.values().stream().filter(x -> x.get("status").asInt() == 429).findFirst().orElseThrow();
    assertTrue(one.get("headers").has("Retry-After"));
  }
}
