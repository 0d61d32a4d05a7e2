package io.entrabackup.node.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What an account sees of itself through the API, read with its own key: its tenants one by one, their backed-up
 * types, users and retention, its jobs of every kind, its keys, its settings and retention. Two captures are equal
 * when nothing changed for the account. Its audit trail is {@link AuditTrailCheck}'s: a stranger's refused attempt
 * may add to it.
 */
public final class AccountState {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AccountState() {}

  /** Path to body for each read; {@code get} answers the body of a 200 (and fails otherwise). */
  public static Map<String, String> capture(String account, Function<String, String> get) {
    Map<String, String> seen = new LinkedHashMap<>();
    read(seen, get, "/api/v1/tenants?limit=500");
    for (JsonNode tenant : parse(seen.get("/api/v1/tenants?limit=500")).get("items")) {
      String id = tenant.get("id").asText();
      read(seen, get, "/api/v1/tenants/" + id);
      read(seen, get, "/api/v1/tenants/" + id + "/retention");
      if ("authorized".equals(tenant.path("status").asText())) {
        read(seen, get, "/api/v1/tenants/" + id + "/objects");
        read(seen, get, "/api/v1/tenants/" + id + "/objects/users?limit=500");
        read(seen, get, "/api/v1/tenants/" + id + "/objects/groups?limit=500");
      }
    }
    for (String kind : new String[] {"backup", "download", "restore"}) {
      read(seen, get, "/api/v1/jobs?limit=500&kind=" + kind);
    }
    read(seen, get, "/api/v1/accounts/" + account + "/keys");
    read(seen, get, "/api/v1/accounts/" + account + "/settings");
    read(seen, get, "/api/v1/accounts/" + account + "/retention");
    return seen;
  }

  private static void read(Map<String, String> seen, Function<String, String> get, String path) {
    seen.put(path, get.apply(path));
  }

  static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }
}
