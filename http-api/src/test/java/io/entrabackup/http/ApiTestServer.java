package io.entrabackup.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * The API bound on an ephemeral port, with whatever cluster side a test builds its routes on, and the requests the
 * route tests send to it over real HTTP. Start it in {@code @BeforeAll}, {@link #close()} it in {@code @AfterAll}.
 */
public final class ApiTestServer implements AutoCloseable {

  private final ActorTestKit testKit;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;

  private ApiTestServer(ActorTestKit testKit, String base) {
    this.testKit = testKit;
    this.base = base;
  }

  /** Binds the routes built from the default settings (on port 0); waits until they answer. */
  public static ApiTestServer start(Function<HttpSettings, ApiRoutes> routes) throws Exception {
    HttpSettings settings = HttpSettings.create(
        ConfigFactory.parseString("entra-backup.http.port = 0").withFallback(ConfigFactory.load()));
    ActorTestKit testKit = ActorTestKit.create();
    var binding = ApiServer.start(testKit.system(), routes.apply(settings).routes(), settings)
        .toCompletableFuture().get();
    return new ApiTestServer(testKit, "http://127.0.0.1:" + binding.localAddress().getPort());
  }

  /** A JSON request with the API key {@code key}; {@code body} null sends none. */
  public HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
    return send(request(path)
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + key)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build());
  }

  /** A request to {@code path} of this server, for the tests that need other headers (or none). */
  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path));
  }

  public HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** {@code request} written to the server byte for byte (as no HTTP client would); answers all it said back. */
  public String raw(String request) throws Exception {
    return raw(java.time.Duration.ZERO, request);
  }

  /**
   * {@code parts} written to the server byte for byte, with {@code pause} between them (a slow client); answers all
   * the server said back, or what it said before it closed the connection under a part still being written.
   */
  public String raw(java.time.Duration pause, String... parts) throws Exception {
    URI uri = URI.create(base);
    try (var socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      var in = socket.getInputStream();
      var said = new java.io.ByteArrayOutputStream();
      try {
        for (int i = 0; i < parts.length; i++) {
          if (i > 0) {
            Thread.sleep(pause.toMillis());
          }
          socket.getOutputStream().write(parts[i].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
          socket.getOutputStream().flush();
        }
        in.transferTo(said);
      } catch (java.io.IOException closedUnderUs) {
        said.write(in.readNBytes(in.available()));
      }
      return said.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  public static JsonNode json(HttpResponse<String> response) throws Exception {
    return ApiJson.MAPPER.readTree(response.body());
  }

  /** A problem document ({@code application/problem+json}) with this status, whose detail says {@code detailPart}. */
  public static JsonNode assertProblem(HttpResponse<String> response, int status, String detailPart)
      throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    JsonNode problem = json(response);
    assertEquals(status, problem.get("status").asInt());
    assertTrue(problem.hasNonNull("type") && problem.hasNonNull("title"), problem.toString());
    assertTrue(problem.get("detail").asText().contains(detailPart), problem.toString());
    return problem;
  }

  @Override
  public void close() {
    testKit.shutdownTestKit();
  }
}
