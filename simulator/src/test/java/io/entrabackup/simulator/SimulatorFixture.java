package io.entrabackup.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A simulator plus a real HTTP client that trusts it, with one app consented in every tenant; for conformance tests.
 *
 * <p>A test owns one with {@code @RegisterExtension}: in a static field the simulator serves the whole test class
 * and stops after it, in an instance field every test gets a fresh one that stops after that test (JUnit calls
 * {@code beforeAll} only for an extension in a static field, which is how the fixture tells the two apart). Outside
 * JUnit's lifecycle, a try-with-resources block closes it.
 */
public final class SimulatorFixture implements AutoCloseable, BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  public static final ObjectMapper JSON = new ObjectMapper();
  public static final String CLIENT_ID = "11111111-2222-3333-4444-555555555555";
  public static final String SECRET = "s3cret~value";
  public static final String PRIVILEGED_AUTHENTICATION_ADMINISTRATOR = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13";
  public static final String REDIRECT = "https://localhost:8443/consent/callback";

  public final Simulator sim;
  public final HttpClient http;
  public final TenantInfo tenant;
  private String token;
  private boolean servesTestClass;
  private boolean closed;

  public SimulatorFixture(Consumer<SimulatorConfig.Builder> customise) {
    SimulatorConfig.Builder b = SimulatorConfig.builder().port(0).tenants(1).users(50).groups(10).seed(42)
        .stateDir(Path.of("target", "sim-test-state"));
    customise.accept(b);
    sim = Simulator.start(b.build());
    http = sim.httpClient();
    tenant = sim.tenants().get(0);
    sim.registerApp(CLIENT_ID, SECRET, List.of(REDIRECT));
    for (TenantInfo t : sim.tenants()) {
      sim.admin().consent(t.id(), CLIENT_ID, null);
      // A restore app needs an admin role to write users who are admins themselves.
      sim.admin().grantDirectoryRole(t.id(), CLIENT_ID, PRIVILEGED_AUTHENTICATION_ADMINISTRATOR);
    }
  }

  public static SimulatorFixture start() {
    return new SimulatorFixture(b -> { });
  }

  /** A client-credentials token for the fixture's app in its first tenant (fetched once). */
  public String token() {
    if (token == null) {
      token = tokenFor(tenant.id(), CLIENT_ID, SECRET).path("access_token").asText();
    }
    return token;
  }

  public void resetToken() {
    token = null;
  }

  public JsonNode tokenFor(String tenantId, String clientId, String secret) {
    HttpResponse<String> r = postForm(sim.baseUrl() + "/" + tenantId + "/oauth2/v2.0/token", Map.of(
        "grant_type", "client_credentials", "client_id", clientId, "client_secret", secret,
        "scope", "https://graph.microsoft.com/.default"));
    return json(r.body());
  }

  public HttpResponse<String> postForm(String url, Map<String, String> form) {
    StringBuilder sb = new StringBuilder();
    form.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
    return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(sb.toString())).build());
  }

  /** GET a Graph path (relative to /v1.0) or an absolute URL, with the fixture's token. */
  public HttpResponse<String> get(String pathOrUrl, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(pathOrUrl))).GET().header("Authorization", "Bearer " + token());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.build());
  }

  public JsonNode getJson(String pathOrUrl, String... headers) {
    HttpResponse<String> r = get(pathOrUrl, headers);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + pathOrUrl + " answered " + r.statusCode() + ": " + r.body());
    }
    return json(r.body());
  }

  public HttpResponse<String> write(String method, String pathOrUrl, Object body) {
    HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : text(body));
    return send(HttpRequest.newBuilder(URI.create(url(pathOrUrl))).method(method, p)
        .header("Authorization", "Bearer " + token()).header("Content-Type", "application/json").build());
  }

  public HttpResponse<String> admin(String method, String path, Object body) {
    HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : text(body));
    return send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_simulator" + path)).method(method, p)
        .header("Content-Type", "application/json").build());
  }

  /** Follows nextLinks to the deltaLink; returns every page. */
  public List<JsonNode> crawl(String firstUrl, String... headers) {
    List<JsonNode> pages = new ArrayList<>();
    String url = firstUrl;
    while (url != null) {
      JsonNode page = getJson(url, headers);
      pages.add(page);
      url = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
    }
    return pages;
  }

  public static String deltaLink(List<JsonNode> pages) {
    return pages.get(pages.size() - 1).get("@odata.deltaLink").asText();
  }

  public static List<JsonNode> items(List<JsonNode> pages) {
    List<JsonNode> out = new ArrayList<>();
    pages.forEach(p -> p.get("value").forEach(out::add));
    return out;
  }

  public HttpResponse<String> send(HttpRequest req) {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String url(String pathOrUrl) {
    return pathOrUrl.startsWith("https://") ? pathOrUrl : sim.graphBaseUrl() + pathOrUrl;
  }

  public static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new AssertionError("Not JSON: " + s, e);
    }
  }

  /** The Graph error code of an error answer ({@code error.code} in its JSON body). */
  public static String errorCode(HttpResponse<String> r) {
    return json(r.body()).path("error").path("code").asText();
  }

  public static String text(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    servesTestClass = true;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!servesTestClass) {
      close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      sim.close();
    }
  }
}
