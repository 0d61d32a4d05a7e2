package io.entrabackup.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * The export figure of the benchmark: starts a tenant download through the public API, waits until it is
 * ready, fetches the ZIP once, and answers objects, bytes and timings. Uses only HTTP, so it measures any
 * running node.
 */
public final class ExportBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration POLL = Duration.ofMillis(250);

  /**
   * @param buildMillis from the job's start to its publication (System Status timings)
   * @param fetchMillis streaming the whole ZIP back over HTTP
   */
  public record Result(String jobId, long objects, long bytes, long buildMillis, long fetchMillis) {
    public double objectsPerSecond() {
      return objects * 1000.0 / Math.max(1, buildMillis);
    }

    public double megabytesPerSecond() {
      return bytes / 1e6 * 1000.0 / Math.max(1, buildMillis);
    }

    @Override
    public String toString() {
      return String.format("export: %d objects, %.1f MB in %d ms = %.0f objects/s, %.1f MB/s; fetch %d ms",
          objects, bytes / 1e6, buildMillis, objectsPerSecond(), megabytesPerSecond(), fetchMillis);
    }
  }

  private ExportBenchmark() {}

  /** @param api the node's base URL, e.g. http://127.0.0.1:8080 */
  public static Result run(URI api, String apiKey, String tenantId, Duration timeout) throws Exception {
    JsonNode accepted = send(api, apiKey, "POST", "/api/v1/tenants/" + tenantId + "/downloads", "{\"scope\":\"tenant\"}");
    String jobId = accepted.get("id").asText();
    Instant deadline = Instant.now().plus(timeout);
    JsonNode job = accepted;
    while (!job.get("state").asText().equals("completed") || !job.path("download").has("link")) {
      if (job.get("state").asText().equals("failed")) {
        throw new IllegalStateException("the export failed: " + job.get("error"));
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("the export did not finish within " + timeout + ": " + job);
      }
      Thread.sleep(POLL.toMillis());
      job = send(api, apiKey, "GET", "/api/v1/jobs/" + jobId, null);
    }
    long buildMillis = job.get("durationMillis").asLong();
    long started = System.nanoTime();
    HttpResponse<InputStream> content = HTTP.send(HttpRequest.newBuilder(api.resolve(job.get("download").get("link")
        .asText())).build(), HttpResponse.BodyHandlers.ofInputStream());
    long fetched;
    try (InputStream in = content.body()) {
      fetched = in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    long fetchMillis = (System.nanoTime() - started) / 1_000_000;
    long size = job.get("download").get("sizeBytes").asLong();
    if (content.statusCode() != 200 || fetched != size) {
      throw new IllegalStateException("fetched " + fetched + " of " + size + " bytes, status " + content.statusCode());
    }
    return new Result(jobId, job.get("progress").get("objectsWritten").asLong(), size, buildMillis, fetchMillis);
  }

  private static JsonNode send(URI api, String key, String method, String path, String body)
      throws IOException, InterruptedException {
    var request = HttpRequest.newBuilder(api.resolve(path)).header("Authorization", "Bearer " + key)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
