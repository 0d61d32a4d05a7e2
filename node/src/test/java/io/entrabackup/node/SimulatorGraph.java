package io.entrabackup.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.Simulator;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A tenant admin changing the directory through the simulator's Graph API (our test app's token), as the changes a
 * restore undoes would be made in real life.
 */
final class SimulatorGraph {

  private final Simulator simulator;
  private final String tenantId;
  private final HttpClient http;

  SimulatorGraph(Simulator simulator, String tenantId) {
    this.simulator = simulator;
    this.tenantId = tenantId;
    this.http = simulator.httpClient();
  }

  /** Sends a Graph request; answers status and body. A fresh token each time: the simulator's clock may move. */
  HttpResponse<String> send(String method, String path, String body) {
    var request = HttpRequest.newBuilder(URI.create(simulator.graphBaseUrl() + path))
        .header("Authorization", "Bearer " + token())
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    }
  }

  JsonNode ok(String method, String path, String body) {
    var response = send(method, path, body);
    if (response.statusCode() / 100 != 2) {
      throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body().isEmpty() ? TestNode.read("{}") : TestNode.read(response.body());
  }

  /** Every object of a listing, following Graph's next links. */
  List<JsonNode> values(String path) {
    List<JsonNode> values = new ArrayList<>();
    String next = path;
    while (next != null) {
      JsonNode page = ok("GET", next.startsWith("http") ? next.substring(simulator.graphBaseUrl().length()) : next,
          null);
      page.get("value").forEach(values::add);
      next = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
    }
    return values;
  }

  /** The ids of the group's members as Graph lists them now. */
  Set<String> members(String group) {
    Set<String> ids = new TreeSet<>();
    values("/groups/" + group + "/members?$select=id&$top=999").forEach(member -> ids.add(member.get("id").asText()));
    return ids;
  }

  /** The body that links a directory object to a relation ({@code .../members/$ref}). */
  String ref(String id) {
    return "{\"@odata.id\":\"" + simulator.graphBaseUrl() + "/directoryObjects/" + id + "\"}";
  }

  private String token() {
    String form = "grant_type=client_credentials&client_id=" + TestNode.CLIENT_ID + "&client_secret="
        + URLEncoder.encode(TestNode.CLIENT_SECRET, StandardCharsets.UTF_8)
        + "&scope=" + URLEncoder.encode("https://graph.microsoft.com/.default", StandardCharsets.UTF_8);
    var request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/" + tenantId + "/oauth2/v2.0/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    try {
      var response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return TestNode.read(response.body()).get("access_token").asText();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("token request failed", e);
    }
  }
}
