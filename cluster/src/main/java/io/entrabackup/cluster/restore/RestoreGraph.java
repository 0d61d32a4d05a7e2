package io.entrabackup.cluster.restore;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.cluster.graph.GraphAccess;
import io.entrabackup.cluster.graph.http.GraphExchange;
import io.entrabackup.cluster.graph.http.GraphTrafficCounter;
import io.entrabackup.cluster.job.JobMdc;
import io.entrabackup.protocol.backup.GraphTraffic;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A restore's requests to Microsoft Graph for one tenant, as Graph-shaped JSON. Writes send the snapshot's JSON values
 * exactly as stored: the SDK's typed models would drop what they do not model (extension attributes, newer
 * properties). Only URLs are decided here: each request goes through the node's Graph HTTP layer
 * ({@link GraphAccess#http}: retries under the {@code entra-backup.restore} budget, Retry-After, the tenant's pacing,
 * tracing; see cluster/GRAPH.md), and every answer it does not retry comes back to the caller, who decides whether it
 * is a skip or a failure.
 */
final class RestoreGraph {

  private final GraphAccess graph;
  private final RestoreSettings settings;
  private final String tenant;
  private final String baseUrl;
  private final GraphTrafficCounter traffic = new GraphTrafficCounter();
  private final Optional<JobMdc> job;

  RestoreGraph(GraphAccess graph, RestoreSettings settings, String entraTenantId) {
    this(graph, settings, entraTenantId, Optional.empty());
  }

  /** The requests of restore {@code job}: they carry its request id and MDC. */
  RestoreGraph(GraphAccess graph, RestoreSettings settings, String entraTenantId, Optional<JobMdc> job) {
    this.job = job;
    this.graph = graph;
    this.settings = settings;
    this.tenant = entraTenantId;
    this.baseUrl = graph.settings().graphBaseUrl();
  }

  CompletionStage<GraphResponse> get(String path) {
    return send("GET", path, null);
  }

  CompletionStage<GraphResponse> post(String path, JsonNode body) {
    return send("POST", path, body);
  }

  CompletionStage<GraphResponse> patch(String path, JsonNode body) {
    return send("PATCH", path, body);
  }

  CompletionStage<GraphResponse> delete(String path) {
    return send("DELETE", path, null);
  }

  /** The URL Graph wants in {@code @odata.id} references. */
  String directoryObjectUrl(String id) {
    return baseUrl + "/directoryObjects/" + id;
  }

  /**
   * Requests that really went out so far (retries included, as a backup counts them), the 429s among their answers
   * and the bytes of the answers we read: shown on the restore's job.
   */
  GraphTraffic traffic() {
    return traffic.total();
  }

  private CompletionStage<GraphResponse> send(String method, String path, JsonNode body) {
    String url = path.startsWith("http") ? path : baseUrl + path;
    GraphExchange exchange = GraphExchange.of(tenant, method, url, Optional.ofNullable(body), method + " " + path,
        settings.retryPolicy(), traffic).forJob(job);
    return graph.http().send(exchange).thenApply(answer -> new GraphResponse(answer.status(), answer.body()));
  }
}
