package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Through a whole node: an object list refuses a cursor it did not give out (garbled, or made for another tenant or
 * type) with a 400 problem document, where it used to answer 500 and log a stack trace.
 */
class HostileCursorIT {

  @RegisterExtension static final TestCassandra cassandra = new TestCassandra();

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anObjectListRefusesACursorItDidNotGiveOut() throws Exception {
    Node node = Node.start(cassandra.nodeConfig(), Clock.systemUTC()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    try {
      node.schemaReady().toCompletableFuture().get(60, TimeUnit.SECONDS);
      TestProbe.create(node.system()).awaitAssert(Duration.ofSeconds(30), () -> {
        assertEquals(200, TenantRecoveryIT.get(node, "/health/ready").statusCode());
        return null;
      });
      var created = TenantRecoveryIT.post(node, "/api/v1/tenants", "{\"displayName\":\"Contoso Ltd\"}");
      assertEquals(201, created.statusCode(), created.body());
      String tenant = JSON.readTree(created.body()).get("id").asText();
      String users = "/api/v1/tenants/" + tenant + "/objects/users?cursor=";

      // A cursor of the shape the list gives out, for this very list, is taken.
      var own = TenantRecoveryIT.get(node, users + cursor(tenant + "/users"));
      assertEquals(200, own.statusCode(), own.body());

      for (String cursor : new String[] {"garbage", "%25%25", cursor(tenant + "/groups"),
          cursor("3f2504e0-4f89-41d3-9a0c-0305e82c3301/users"), base64("{\"n\":[\"a\",\"b\"]}"), base64("[[[[")}) {
        var refused = TenantRecoveryIT.get(node, users + cursor);
        assertEquals(400, refused.statusCode(), cursor + ": " + refused.body());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
        JsonNode problem = JSON.readTree(refused.body());
        assertEquals("cursor is not one this API gave out for this list: start again without it",
            problem.get("detail").asText());
        assertFalse(refused.body().contains("Exception"), refused.body());
      }
    } finally {
      node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static String cursor(String scope) {
    return base64("{\"for\":\"" + scope + "\",\"n\":[\"contoso\",\"u1\"]}");
  }

  private static String base64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
