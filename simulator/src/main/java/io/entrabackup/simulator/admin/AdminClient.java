package io.entrabackup.simulator.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.http.Json;
import io.entrabackup.simulator.tls.TlsMaterial;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * A small client for the admin HTTP API, for tests and benchmarks that talk to a simulator in another process
 * ({@code java -jar simulator.jar}). In-process callers use {@code Simulator.admin()} instead.
 */
public final class AdminClient {
  private final String baseUrl;
  private final HttpClient http;

  /** @param baseUrl {@code https://127.0.0.1:PORT} */
  public AdminClient(String baseUrl, SSLContext trust) {
    this.baseUrl = baseUrl;
    this.http = HttpClient.newBuilder().sslContext(trust).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** A client trusting the simulator's PKCS12 trust store. */
  public static AdminClient of(String baseUrl, Path trustStore, String password) {
    return new AdminClient(baseUrl, TlsMaterial.clientContext(trustStore, password));
  }

  public JsonNode tenants() {
    return call("GET", "/tenants", null).get("value");
  }

  public JsonNode createTenant(int users, int groups) {
    return call("POST", "/tenants", Map.of("users", users, "groups", groups));
  }

  /**
   * Churns a tenant; amounts are counts ("5") or percentages ("2%"), null for none. Returns the ids touched per action.
   */
  public JsonNode churn(String tenant, long seed, Map<String, String> users, Map<String, String> groups) {
    return churn(tenant, seed, users, groups, null);
  }

  /** As above, plus role assignment churn: {@code {"assign": "3", "unassign": "1"}}. */
  public JsonNode churn(String tenant, long seed, Map<String, String> users, Map<String, String> groups,
                        Map<String, String> roles) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("seed", seed);
    body.put("users", users == null ? Map.of() : users);
    body.put("groups", groups == null ? Map.of() : groups);
    body.put("roles", roles == null ? Map.of() : roles);
    return call("POST", "/tenants/" + tenant + "/churn", body);
  }

  public JsonNode object(String tenant, String objectId) {
    return call("GET", "/tenants/" + tenant + "/objects/" + objectId, null);
  }

  public void registerApp(String clientId, String secret, List<String> redirectUris, List<String> permissions,
                          boolean consentAllTenants) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("clientId", clientId);
    body.put("clientSecret", secret);
    body.put("redirectUris", redirectUris);
    body.put("permissions", permissions == null ? List.of() : permissions);
    body.put("consentAllTenants", consentAllTenants);
    call("POST", "/apps", body);
  }

  /** Registers an app as {@link #registerApp} does, with its groupMembershipClaims ("DirectoryRole", "All", ...). */
  public void registerApp(String clientId, String secret, List<String> redirectUris, List<String> permissions,
                          boolean consentAllTenants, String groupMembershipClaims) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("clientId", clientId);
    body.put("clientSecret", secret);
    body.put("redirectUris", redirectUris);
    body.put("permissions", permissions == null ? List.of() : permissions);
    body.put("consentAllTenants", consentAllTenants);
    body.put("groupMembershipClaims", groupMembershipClaims);
    call("POST", "/apps", body);
  }

  public void consent(String tenant, String clientId) {
    call("POST", "/tenants/" + tenant + "/consents", Map.of("clientId", clientId));
  }

  public void grantDirectoryRole(String tenant, String clientId, String roleTemplateId) {
    call("POST", "/tenants/" + tenant + "/directoryRoles", Map.of("clientId", clientId, "roleTemplateId", roleTemplateId));
  }

  public String advanceClock(Duration by) {
    return call("POST", "/clock", Map.of("advanceSeconds", by.getSeconds())).get("now").asText();
  }

  public void consentMode(String mode) {
    call("PUT", "/consent-mode", Map.of("mode", mode));
  }

  public void throttle(double scale, boolean enabled) {
    call("PUT", "/throttle", Map.of("scale", scale, "enabled", enabled));
  }

  /** Adds a fault rule: kind as in {@code Faults.Kind}, e.g. "STATUS_503". */
  public void addFault(String kind, double rate, int count, String pathContains, Double retryAfterSeconds, long delayMillis) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", kind);
    body.put("rate", rate);
    body.put("count", count);
    body.put("pathContains", pathContains == null ? "" : pathContains);
    body.put("retryAfterSeconds", retryAfterSeconds);
    body.put("delayMillis", delayMillis);
    call("POST", "/faults", body);
  }

  public void clearFaults() {
    call("DELETE", "/faults", null);
  }

  public JsonNode stats() {
    return call("GET", "/stats", null);
  }

  public void resetStats() {
    call("DELETE", "/stats", null);
  }

  private JsonNode call(String method, String path, Object body) {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body));
    HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl + "/_simulator" + path)).method(method, publisher)
        .header("Content-Type", "application/json").build();
    try {
      HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() >= 300) {
        throw new IllegalStateException("Simulator admin " + method + " " + path + " answered " + r.statusCode() + ": "
            + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
      }
      return r.body().length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException("Simulator admin API unreachable at " + baseUrl, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted calling the simulator admin API", e);
    }
  }
}
