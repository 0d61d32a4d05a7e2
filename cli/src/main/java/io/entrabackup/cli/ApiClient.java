package io.entrabackup.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The public HTTP API as this client uses it: JSON in and out, the key as {@code Authorization: Bearer}, every
 * answer that is not a success turned into a {@link CliFailure} from its problem document. Redirects are not followed
 * (the key would travel with them).
 */
final class ApiClient {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  /**
   * A request over the key's rate (429) is sent again after the server's Retry-After, at most this often and only for
   * waits up to {@link #LONGEST_RATE_WAIT}: a script's loop then keeps within its key's rate by itself; a longer wait
   * ends the command with exit 6.
   */
  static final int MAX_RATE_RETRIES = 3;
  static final Duration LONGEST_RATE_WAIT = Duration.ofSeconds(30);

  /** A successful answer: its status, its body exactly as sent (what {@code --json} prints) and the body parsed. */
  record Answer(int status, String body, JsonNode json) {}

  private final String base;
  private final String key;
  private final HttpClient http;

  ApiClient(URI server, String key, Optional<SSLContext> tls) {
    String text = server.toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.key = key;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER);
    tls.ifPresent(builder::sslContext);
    this.http = builder.build();
  }

  /** One path segment, percent-encoded: an id typed by a user never becomes {@code ../} in the path. */
  static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code ?name=value&...} of the present values, encoded; empty when none is present. */
  static String query(Map<String, Optional<String>> parameters) {
    StringBuilder query = new StringBuilder();
    parameters.forEach((name, value) -> value.ifPresent(v -> query.append(query.length() == 0 ? '?' : '&')
        .append(name).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
    return query.toString();
  }

  Answer get(String path) {
    return send("GET", path, null, "application/json");
  }

  /** GET with another {@code Accept} (CSV); the body as text. */
  Answer getText(String path, String accept) {
    return send("GET", path, null, accept);
  }

  Answer post(String path, Object body) {
    return send("POST", path, body, "application/json");
  }

  Answer delete(String path) {
    return send("DELETE", path, null, "application/json");
  }

  /**
   * A download's content by its signed link (path and query on this server), without the API key: the link is its
   * own credential. {@code headers} are sent as given (Range, If-Range). Failures are problems, as everywhere.
   */
  HttpResponse<InputStream> content(String link, Map<String, String> headers) {
    if (!link.startsWith("/api/v1/")) {
      throw new CliFailure(ExitCode.FAILED, "the server gave a download link outside its API: refused");
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + link)).GET();
    headers.forEach(request::header);
    HttpResponse<InputStream> response = call(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() >= 400) {
      try (InputStream body = response.body()) {
        String text = new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        throw failure(response.statusCode(), text);
      } catch (IOException e) {
        throw new CliFailure(ExitCode.UNAVAILABLE, "the server's answer broke off: " + e.getMessage());
      }
    }
    return response;
  }

  private Answer send(String method, String path, Object body, String accept) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + key)
        .header("Accept", accept)
        .header("User-Agent", "entra-backup-cli");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(write(body)));
    }
    HttpResponse<String> response = call(request.build(), HttpResponse.BodyHandlers.ofString());
    for (int retry = 0; retry < MAX_RATE_RETRIES && response.statusCode() == 429; retry++) {
      Optional<Duration> wait = retryAfter(response);
      if (wait.isEmpty()) {
        break;
      }
      pause(wait.get());
      response = call(request.build(), HttpResponse.BodyHandlers.ofString());
    }
    if (response.statusCode() >= 400) {
      throw failure(response.statusCode(), response.body());
    }
    String text = response.body();
    JsonNode json = accept.equals("application/json") && !text.isBlank() ? parse(text) : null;
    return new Answer(response.statusCode(), text, json);
  }

  private <T> HttpResponse<T> call(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw new CliFailure(ExitCode.UNAVAILABLE, "cannot reach " + base + " (connection refused or timed out)");
    } catch (HttpTimeoutException e) {
      throw new CliFailure(ExitCode.UNAVAILABLE, base + " did not answer in time");
    } catch (SSLException e) {
      throw new CliFailure(ExitCode.UNAVAILABLE, "TLS with " + base + " failed (" + describe(e)
          + "); for a private CA pass --ca-file <ca.pem> or set ENTRA_CA_FILE");
    } catch (IOException e) {
      throw new CliFailure(ExitCode.UNAVAILABLE, "talking to " + base + " failed: " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure(ExitCode.FAILED, "interrupted");
    }
  }

  /** The Retry-After of a 429 in seconds, when it is one we wait for. */
  static Optional<Duration> retryAfter(HttpResponse<?> response) {
    try {
      return response.headers().firstValue("Retry-After").map(String::strip).map(Long::parseLong)
          .filter(seconds -> seconds >= 0).map(Duration::ofSeconds)
          .filter(wait -> wait.compareTo(LONGEST_RATE_WAIT) <= 0);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void pause(Duration wait) {
    try {
      Thread.sleep(Math.max(wait.toMillis(), 100));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure(ExitCode.FAILED, "interrupted");
    }
  }

  /** The problem document's title and detail; any other body is not shown (it may be a proxy's HTML page). */
  static CliFailure failure(int status, String body) {
    try {
      JsonNode problem = JSON.readTree(body);
      if (problem != null && problem.hasNonNull("title")) {
        return CliFailure.problem(status, problem.path("title").asText(), problem.path("detail").asText(""));
      }
    } catch (JsonProcessingException notJson) {
      // fall through: the status alone
    }
    return CliFailure.problem(status, "HTTP " + status, "");
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new CliFailure(ExitCode.UNAVAILABLE, "the server answered something that is not JSON");
    }
  }

  private static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String describe(Exception e) {
    Throwable cause = e;
    while (cause.getMessage() == null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return Text.clean(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
  }
}
