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
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Many tenants driven through a node's public API as an MSP's tooling would: accounts, registrations, Activate
 * Backup, and the admin consent of each directory's admin (the simulator in consent mode, signed in with
 * {@code login_hint}, as the README's walkthrough does without a browser); the jobs System Status lists. With several
 * nodes, each request goes to the next node that is up, in turn, as a load balancer in front of a cluster would send
 * it; a request a node does not answer (it was just killed) goes to the next. Thread-safe.
 */
final class TenantFleet {

  private static final String BOOTSTRAP_KEY = "eb_bootstrap_bench-key-0123456789abcdefghijklmnop";

  private final HttpClient node = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final HttpClient browser;
  /** The API ports of the nodes that are up; requests take turns. */
  private final List<Integer> ports = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();

  TenantFleet(int port, SSLContext simulatorTrust) {
    this(List.of(port), simulatorTrust);
  }

  TenantFleet(List<Integer> ports, SSLContext simulatorTrust) {
    this.ports.addAll(ports);
    this.browser = HttpClient.newBuilder().sslContext(simulatorTrust).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** An MSP account made with the bootstrap key; answers its API key. */
  String createAccount(String id) {
    return BenchNode.ok(send("POST", "/api/v1/accounts", "{\"id\":\"" + id + "\",\"displayName\":\"" + id + "\"}", BOOTSTRAP_KEY),
        201).path("apiKey").path("key").asText();
  }

  /**
   * Registers the simulator's directory under the key's account and authorizes it with an immediate backup (its first
   * full backup queues at once); answers our tenant id.
   */
  String addAuthorized(String key, String entraTenant, String domain, boolean immediateBackup) {
    // A 503 (the node did not answer in time) is asked again: a registration that did happen then stays pending,
    // never authorized, and is not one of the benchmark's tenants.
    String id = BenchNode.ok(retried(() -> send("POST", "/api/v1/tenants", "{\"displayName\":\"" + domain
        + "\",\"entraTenant\":\"" + entraTenant + "\"}", key)), 201).path("id").asText();
    String consentUrl = BenchNode.ok(retried(() -> send("POST", "/api/v1/tenants/" + id + "/activation",
        "{\"immediateBackup\":" + immediateBackup + ",\"frequency\":\"P1D\"}", key)), 200).path("consentUrl")
        .asText();
    String next = consentUrl + "&login_hint=" + URLEncoder.encode("admin@" + domain, StandardCharsets.UTF_8);
    // Sign-in at Microsoft -> our sign-in callback -> admin consent (accepted by the simulator) -> our consent
    // callback, which answers 303 to the tenant's page once the tenant is authorized.
    for (int hop = 0; hop < 8; hop++) {
      HttpResponse<String> response = get(next);
      if (response.statusCode() == 303) {
        return id;
      }
      if (response.statusCode() != 302) {
        throw new IllegalStateException("consent of " + domain + " stopped at " + response.statusCode() + ": "
            + response.body());
      }
      next = response.headers().firstValue("Location").orElseThrow();
    }
    throw new IllegalStateException("consent of " + domain + " did not come back to the node");
  }

  /**
   * Backup Now (trigger {@code manual}). A 500 or 503 (Cassandra timing out on a machine at load 60: seen at the audit
   * append) is asked again; a 409 then means the first attempt did start the run, which is what was asked.
   */
  void backUpNow(String key, String tenantId) {
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> response = send("POST", "/api/v1/tenants/" + tenantId + "/backups", "", key);
      if (response.statusCode() == 202 || (attempt > 1 && response.statusCode() == 409)) {
        return;
      }
      if ((response.statusCode() != 500 && response.statusCode() != 503) || attempt == 5) {
        BenchNode.ok(response, 202);
      }
      sleep(2000L * attempt);
    }
  }

  /** Every backup job of the key's account, newest first, as System Status lists them (all pages from one node). */
  List<JsonNode> backupJobs(String key) {
    List<JsonNode> jobs = new ArrayList<>();
    String cursor = null;
    int port = nextPort();
    do {
      String path = "/api/v1/jobs?kind=backup&limit=500" + (cursor == null ? "" : "&cursor=" + cursor);
      JsonNode page = BenchNode.ok(send(port, "GET", path, null, key), 200);
      page.path("items").forEach(jobs::add);
      cursor = page.hasNonNull("next") ? page.get("next").asText() : null;
    } while (cursor != null);
    return jobs;
  }

  /** The tenant as GET /api/v1/tenants/{id} shows it. */
  JsonNode tenant(String key, String id) {
    return BenchNode.ok(send("GET", "/api/v1/tenants/" + id, null, key), 200);
  }

  private static HttpResponse<String> retried(java.util.function.Supplier<HttpResponse<String>> request) {
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> response = request.get();
      if (response.statusCode() != 503 || attempt == 5) {
        return response;
      }
      try {
        Thread.sleep(2000L * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return response;
      }
    }
  }

  /** The node on {@code port} is down (killed): no request goes there until {@link #up}. */
  void down(int port) {
    ports.remove(Integer.valueOf(port));
  }

  void up(int port) {
    if (!ports.contains(port)) {
      ports.add(port);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private int nextPort() {
    List<Integer> now = List.copyOf(ports);
    return now.get(Math.floorMod(turn.getAndIncrement(), now.size()));
  }

  private HttpResponse<String> get(String url) {
    HttpClient client = url.startsWith("https") ? browser : node;
    try {
      return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + url + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private HttpResponse<String> send(String method, String path, String body, String key) {
    return send(nextPort(), method, path, body, key);
  }

  private HttpResponse<String> send(int firstPort, String method, String path, String body, String key) {
    int port = firstPort;
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + key);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<String> response = node.send(request.build(), HttpResponse.BodyHandlers.ofString());
        // 503: the tenant's entity did not answer in time (a node busy starting thousands of entities); a read is
        // asked again, a write is not (it may have been done).
        if (response.statusCode() != 503 || !method.equals("GET") || attempt == 5) {
          return response;
        }
        Thread.sleep(1000L * attempt);
      } catch (IOException e) {
        if (attempt == 5) {
          throw new IllegalStateException(method + " " + path + " failed", e);
        }
        // Not answered at all (a node killed a moment ago): the next node, after a pause.
        port = nextPort();
        request.uri(URI.create("http://127.0.0.1:" + port + path));
        sleep(500L * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(method + " " + path + " interrupted", e);
      }
    }
  }
}
