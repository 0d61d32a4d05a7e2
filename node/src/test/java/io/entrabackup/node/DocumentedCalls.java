package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Calls every operation of the OpenAPI document with valid inputs on the deployment's backed-up tenant (OpenApiIT), in
 * an order where each call finds what it needs, and checks each answer against the document: a status documented for
 * the operation (and the one a valid call must get), a media type documented for that status, a body its schema
 * accepts. Deletions and the four-eyes decisions act on an account, a tenant and restores made here for the purpose.
 */
final class DocumentedCalls {

  private static final String KEY = TestDeployment.KEY;
  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private static final Duration JOB_TIME = Duration.ofSeconds(90);

  private final TestNode node;
  private final JsonNode doc;
  private final BiConsumer<String, String> validator;
  private final Set<String> called = new TreeSet<>();
  private final String tenant;
  private final String account;
  private final String user;
  private final String version;
  private final String backupJob;

  /** {@code validator} checks a JSON text against the schema at a pointer of the document ({@code #/...}). */
  DocumentedCalls(TestNode node, JsonNode doc, BiConsumer<String, String> validator) {
    this.node = node;
    this.doc = doc;
    this.validator = validator;
    this.tenant = deployment().tenantId();
    this.account = node.get("/api/v1/session", KEY).get("account").asText();
    this.user = node.get("/api/v1/tenants/" + tenant + "/objects/users?limit=1", KEY).get("items").get(0).get("id")
        .asText();
    this.version = node.get(objectPath() + "/versions", KEY).get("items").get(0).get("versionId").asText();
    this.backupJob = node.get("/api/v1/jobs?kind=backup&limit=1", KEY).get("items").get(0).get("id").asText();
  }

  private static TestDeployment deployment() {
    return OpenApiIT.deployment;
  }

  /** The template with this deployment's ids in its placeholders. */
  String fill(String template) {
    return template.replace("{tenant}", tenant).replace("{type}", "users").replace("{object}", user)
        .replace("{version}", version).replace("{job}", backupJob).replace("{account}", account)
        .replace("{key}", "no-such-key").replace("{download}", backupJob);
  }

  /** Calls each operation once or more; answers the operationIds called. */
  Set<String> everyOperation() {
    call("getOpenApi", 200, "GET", "/api/v1/openapi.json", null, null);
    call("getSession", 200, "GET", "/api/v1/session", null, KEY);
    call("live", 200, "GET", "/health/live", null, null);
    call("ready", 200, "GET", "/health/ready", null, null);
    // The callback's valid inputs come from Microsoft's redirect (TestNode.addAuthorizedTenant used one): a forged
    // state is what a client can send, answered with the documented page.
    call("consentCallback", 400, "GET", "/auth/callback?state=forged&tenant=x&admin_consent=True", null, null);

    String t = "/api/v1/tenants/" + tenant;
    call("listTenants", 200, "GET", "/api/v1/tenants?limit=5&sort=name&order=desc", null, KEY);
    call("getTenant", 200, "GET", t, null, KEY);
    call("checkTenantAuthorization", 200, "POST", t + "/authorization-check", null, KEY);
    String scratch = json(call("registerTenant", 201, "POST", "/api/v1/tenants", "{\"displayName\":\"OpenAPI scratch\"}",
        KEY)).get("id").asText();
    call("activateTenant", 200, "POST", "/api/v1/tenants/" + scratch + "/activation", "{\"immediateBackup\":false}",
        KEY);
    call("deleteTenant", 202, "DELETE", "/api/v1/tenants/" + scratch, null, KEY);
    call("cancelTenantDeletion", 200, "POST", "/api/v1/tenants/" + scratch + "/deletion/cancel", null, KEY);

    String backup = json(call("startBackup", 202, "POST", t + "/backups", null, KEY)).get("id").asText();
    node.awaitJob(backup, KEY, JOB_TIME);
    String download = json(call("startDownload", 202, "POST", t + "/downloads",
        "{\"scope\":\"type\",\"type\":\"users\"}", KEY)).get("id").asText();
    String link = node.awaitJob(download, KEY, JOB_TIME).get("download").get("link").asText()
        .replaceFirst("^https?://[^/]+", "");
    call("fetchDownload", 200, "GET", link, null, null);
    call("fetchDownload", 206, "GET", link, null, null, "Range", "bytes=0-9");

    call("verifyHistory", 200, "GET", t + "/history/verification", null, KEY);
    call("listTypes", 200, "GET", t + "/objects", null, KEY);
    call("listObjects", 200, "GET", t + "/objects/users?limit=5", null, KEY);
    call("listVersions", 200, "GET", objectPath() + "/versions", null, KEY);
    call("getVersion", 200, "GET", objectPath() + "/versions/" + version, null, KEY);
    call("diffVersions", 200, "GET", objectPath() + "/diff?from=" + version + "&to=" + version, null, KEY);
    call("compareVersion", 200, "GET", objectPath() + "/compare?from=" + version + "&to=live", null, KEY);

    String restoreBody = "{\"version\":\"" + version + "\"}";
    call("planRestore", 200, "POST", objectPath() + "/restore-plans", restoreBody, KEY);
    String restore = json(call("startRestore", 202, "POST", objectPath() + "/restores", restoreBody, KEY))
        .get("id").asText();
    node.awaitJob(restore, KEY, JOB_TIME);
    call("listJobs", 200, "GET", "/api/v1/jobs?kind=restore&limit=5", null, KEY);
    call("getJob", 200, "GET", "/api/v1/jobs/" + restore, null, KEY);
    call("listSkippedItems", 200, "GET", "/api/v1/jobs/" + restore + "/skipped-items", null, KEY);
    call("listSkippedItems", 200, "GET", "/api/v1/jobs/" + restore + "/skipped-items?format=csv", null, KEY);

    accountOperations(restoreBody);
    retention(t);
    call("listAudit", 200, "GET", "/api/v1/audit?limit=10", null, KEY);
    call("verifyAudit", 200, "GET", "/api/v1/audit/verification", null, KEY);
    return called;
  }

  /** Keys, settings and four eyes (a second key decides), then an account made and deleted. */
  private void accountOperations(String restoreBody) {
    String a = "/api/v1/accounts/" + account;
    call("listKeys", 200, "GET", a + "/keys", null, KEY);
    String approver = json(call("createKey", 201, "POST", a + "/keys",
        "{\"name\":\"approver\",\"scopes\":[\"read\",\"restore\"]}", KEY)).get("key").asText();
    // The requests come from a key of their own: the bootstrap key made the approver, so it cannot approve its requests.
    String requester = json(call("createKey", 201, "POST", a + "/keys",
        "{\"name\":\"requester\",\"scopes\":[\"read\",\"restore\"]}", KEY)).get("key").asText();
    String spare = json(call("createKey", 201, "POST", a + "/keys", "{\"name\":\"spare\"}", KEY)).get("keyId")
        .asText();
    call("rotateKey", 200, "POST", a + "/keys/" + spare + "/rotate", null, KEY);
    call("revokeKey", 204, "DELETE", a + "/keys/" + spare, null, KEY);

    call("getAccountSettings", 200, "GET", a + "/settings", null, KEY);
    call("setAccountSettings", 200, "PUT", a + "/settings", "{\"fourEyes\":{\"everyRestore\":true}}", KEY);
    for (String decision : new String[] {"approve", "reject"}) {
      JsonNode waiting = json(call("startRestore", 202, "POST", objectPath() + "/restores", restoreBody, requester));
      assertEquals("awaiting_approval", waiting.get("state").asText(), waiting.toString());
      String job = waiting.get("id").asText();
      call(decision + "Job", 200, "POST", "/api/v1/jobs/" + job + "/" + decision, null, approver);
      if (decision.equals("approve")) {
        node.awaitJob(job, KEY, JOB_TIME);
      }
    }
    // Turning four eyes off is a relaxation: it waits for the approval window (202, pendingFourEyes).
    call("setAccountSettings", 202, "PUT", a + "/settings", "{\"fourEyes\":{}}", KEY);

    call("createAccount", 201, "POST", "/api/v1/accounts", "{\"id\":\"openapi-scratch\",\"displayName\":\"Scratch\"}",
        KEY);
    call("deleteAccount", 202, "DELETE", "/api/v1/accounts/openapi-scratch", null, KEY);
  }

  private void retention(String t) {
    call("getTenantRetention", 200, "GET", t + "/retention", null, KEY);
    call("setTenantRetention", 200, "PUT", t + "/retention", "{\"keepDays\":365}", KEY);
    call("runRetention", 202, "POST", t + "/retention/runs", null, KEY);
    call("getAccountRetention", 200, "GET", "/api/v1/accounts/" + account + "/retention", null, KEY);
    call("setAccountRetention", 200, "PUT", "/api/v1/accounts/" + account + "/retention", "{\"keepDays\":null}", KEY);
  }

  private String objectPath() {
    return "/api/v1/tenants/" + tenant + "/objects/users/" + user;
  }

  /**
   * Sends the request and checks the answer against operation {@code operationId}: the path is one of its path's,
   * the status the expected one and documented, the media type documented for it, the body valid.
   */
  private HttpResponse<byte[]> call(String operationId, int expected, String method, String pathAndQuery, String body,
      String key, String... headers) {
    String[] found = operation(operationId);
    String path = pathAndQuery.replaceFirst("\\?.*", "");
    assertEquals(found[1], method.toLowerCase(Locale.ROOT), operationId);
    assertTrue(path.matches(found[0].replaceAll("\\{[^}]+}", "[^/]+").replace(".", "\\.")),
        operationId + " is documented at " + found[0] + ", not " + path);
    HttpResponse<byte[]> answer = send(method, pathAndQuery, body, key, headers);
    String text = new String(answer.body(), StandardCharsets.UTF_8);
    assertEquals(expected, answer.statusCode(), operationId + ": " + text);
    JsonNode response = resolve(doc.get("paths").get(found[0]).get(found[1]).get("responses")
        .get(String.valueOf(answer.statusCode())));
    assertNotNull(response, operationId + " does not document " + answer.statusCode());
    String mediaType = answer.headers().firstValue("Content-Type").orElse("").replaceFirst(";.*", "").strip();
    if (!response.has("content")) {
      assertEquals(0, answer.body().length, operationId + " documents no body: " + text);
    } else {
      JsonNode schema = response.get("content").get(mediaType);
      assertNotNull(schema, operationId + " " + answer.statusCode() + " does not document " + mediaType);
      checkBody(operationId, mediaType, schema.get("schema"), text, answer.body().length);
    }
    called.add(operationId);
    return answer;
  }

  private void checkBody(String operationId, String mediaType, JsonNode schema, String text, int length) {
    String pointer = schema.path("$ref").asText("");
    if (mediaType.endsWith("json") && !pointer.isEmpty()) {
      validator.accept(pointer, text);
    } else if (mediaType.equals("application/x-ndjson")) {
      assertFalse(text.isBlank(), operationId);
      text.lines().forEach(line -> validator.accept(pointer, line));
      assertTrue(text.strip().lines().reduce((first, last) -> last).orElseThrow().contains("\"report\""), text);
    } else if (mediaType.equals("application/json")) {
      assertTrue(json(text).isObject(), operationId + " answers a JSON object");
    } else {
      assertTrue(length > 0, operationId + " answers a " + mediaType + " body");
    }
  }

  /** [path, method] of the operation. */
  private String[] operation(String operationId) {
    for (var path : doc.get("paths").properties()) {
      for (var method : path.getValue().properties()) {
        if (operationId.equals(method.getValue().path("operationId").asText())) {
          return new String[] {path.getKey(), method.getKey()};
        }
      }
    }
    throw new AssertionError("no operation " + operationId + " in the document");
  }

  private JsonNode resolve(JsonNode response) {
    if (response == null || !response.has("$ref")) {
      return response;
    }
    String[] steps = response.get("$ref").asText().substring(2).split("/");
    JsonNode target = doc;
    for (String step : steps) {
      target = target.get(step.replace("~1", "/").replace("~0", "~"));
    }
    return target;
  }

  private HttpResponse<byte[]> send(String method, String pathAndQuery, String body, String key, String... headers) {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + pathAndQuery))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(method + " " + pathAndQuery + " failed", e);
    }
  }

  private static JsonNode json(HttpResponse<byte[]> answer) {
    return json(new String(answer.body(), StandardCharsets.UTF_8));
  }

  private static JsonNode json(String text) {
    return TestNode.read(text);
  }
}
