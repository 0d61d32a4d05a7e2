package io.entrabackup.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's requests of GET /api/v1/tenants, with the parameters the portal sends (tenants.js: a page of
 * {@code limit}, {@code sort} and {@code order}, {@code search}, {@code status}, {@code cursor}), timed one at a time
 * over one kept-alive HTTP connection with the account's key, from request sent to body read.
 */
final class DashboardQueries {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One query's figures over the timed rounds (milliseconds). */
  record Timing(String name, long matching, long bytes, double median, double p95, double max) {}

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final URI api;
  private final String key;
  private final int pageSize;

  DashboardQueries(URI api, String key, int pageSize) {
    this.api = api;
    this.key = key;
    this.pageSize = pageSize;
  }

  /** The dashboard as it opens: the first page by name. */
  JsonNode firstPage() {
    return get(query("sort", "name", "order", "asc")).json();
  }

  /**
   * Each query {@code warmups} times untimed, then {@code repeats} timed rounds of all of them in turn; the cursor
   * walk is {@code pages} pages by name, timed per page (every page after the first needs the previous one's cursor).
   */
  List<Timing> time(int warmups, int repeats, int pages, String domain) {
    Map<String, String> queries = new LinkedHashMap<>();
    queries.put("first page, sort=name", query("sort", "name", "order", "asc"));
    queries.put("search by name \"fabrikam\"", query("search", "fabrikam", "sort", "name", "order", "asc"));
    queries.put("search by domain \"" + domain + "\"", query("search", domain, "sort", "name", "order", "asc"));
    queries.put("status=needs_attention, sort=name", query("status", "needs_attention", "sort", "name", "order",
        "asc"));
    queries.put("sort=last_backup order=desc", query("sort", "last_backup", "order", "desc"));
    Map<String, double[]> millis = new LinkedHashMap<>();
    Map<String, Answer> last = new LinkedHashMap<>();
    queries.keySet().forEach(name -> millis.put(name, new double[repeats]));
    String walk = "pages 1-" + pages + " by cursor (each page)";
    double[] walked = new double[repeats * pages];
    double[] walks = new double[repeats];
    for (int round = -warmups; round < repeats; round++) {
      for (var query : queries.entrySet()) {
        Answer answer = get(query.getValue());
        if (round >= 0) {
          millis.get(query.getKey())[round] = answer.millis();
          last.put(query.getKey(), answer);
        }
      }
      double total = 0;
      String cursor = null;
      Answer page = null;
      for (int p = 0; p < pages; p++) {
        String path = cursor == null ? query("sort", "name", "order", "asc")
            : query("sort", "name", "order", "asc", "cursor", cursor);
        page = get(path);
        total += page.millis();
        if (round >= 0) {
          walked[round * pages + p] = page.millis();
        }
        cursor = page.json().path("next").asText(null);
        if (cursor == null && p < pages - 1) {
          throw new IllegalStateException("the list ended after " + (p + 1) + " pages");
        }
      }
      if (round >= 0) {
        walks[round] = total;
        last.put(walk, page);
      }
    }
    List<Timing> timings = new ArrayList<>();
    millis.forEach((name, samples) -> timings.add(timing(name, last.get(name), samples)));
    timings.add(timing(walk, last.get(walk), walked));
    timings.add(timing("  the " + pages + "-page walk as a whole", last.get(walk), walks));
    return timings;
  }

  private static Timing timing(String name, Answer answer, double[] samples) {
    return new Timing(name, answer.json().path("summary").path("matching").asLong(), answer.bytes(),
        percentile(samples, 50), percentile(samples, 95), percentile(samples, 100));
  }

  /** The nearest-rank percentile: the smallest sample with at least {@code percent}% of the samples at or below it. */
  static double percentile(double[] samples, double percent) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  /** {@code /api/v1/tenants?limit=<page>&name=value...}, values URL-encoded. */
  String query(String... pairs) {
    StringBuilder path = new StringBuilder("/api/v1/tenants?limit=").append(pageSize);
    for (int i = 0; i < pairs.length; i += 2) {
      path.append('&').append(pairs[i]).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return path.toString();
  }

  private record Answer(JsonNode json, long bytes, double millis) {}

  private Answer get(String path) {
    HttpRequest request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + key).GET().build();
    try {
      long start = System.nanoTime();
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      double millis = (System.nanoTime() - start) / 1e6;
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
            + new String(response.body(), StandardCharsets.UTF_8));
      }
      return new Answer(JSON.readTree(response.body()), response.body().length, millis);
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("GET " + path + " interrupted", e);
    }
  }
}
