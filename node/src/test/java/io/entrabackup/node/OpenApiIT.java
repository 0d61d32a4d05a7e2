package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.entrabackup.http.openapi.OpenApiRoutes;
import io.entrabackup.node.fuzz.RouteTable;
import io.entrabackup.simulator.SimulatorConfig;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenAPI document ({@code GET /api/v1/openapi.json}) against the real API, both ways: every route a node serves
 * is documented and every documented operation is served; every operation, called with valid inputs on a backed-up
 * tenant, answers a documented status with a body its schema accepts; every example validates against its schema; and
 * the document itself is valid OpenAPI 3.1. Destructive operations run on an account and a tenant made for them.
 */
class OpenApiIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(8).groups(3).seed(19))
          .withAuthorizedTenant();

  private static final String KEY = TestDeployment.KEY;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Where the validator finds the document: its schemas' {@code $ref}s resolve inside it. */
  private static final String DOC_URI = "https://entra-backup.test/openapi.json";
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

  /** Browser pages of the portal, served beside the API but no part of it (RouteTable.OPEN lists them). */
  private static final Set<String> PORTAL = Set.of("GET /", "GET /portal/", "GET /portal/assets/app.js",
      "GET /portal/tenants/{tenant}");

  private static String docText;
  private static JsonNode doc;
  private static SchemaRegistry schemas;
  private static DocumentedCalls calls;

  @BeforeAll
  static void backedUpTenant() throws IOException {
    try (InputStream in = OpenApiRoutes.class.getClassLoader().getResourceAsStream(OpenApiRoutes.RESOURCE)) {
      docText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    doc = JSON.readTree(docText);
    schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        builder -> builder.schemas(Map.of(DOC_URI, docText)));
    deployment.backups().backUpNow(Duration.ofSeconds(90));
    calls = new DocumentedCalls(deployment.node(), doc, OpenApiIT::validate);
  }

  @Test
  void theServedDocumentIsValidOpenApi31() {
    HttpResponse<String> served = deployment.node().send("GET", "/api/v1/openapi.json", null, null);
    assertEquals(200, served.statusCode(), "no key needed: " + served.body());
    assertEquals(docText, served.body(), "the resource, as it is");
    assertTrue(served.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));

    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    var parsed = new OpenAPIV3Parser().readContents(docText, null, options);
    assertEquals(List.of(), parsed.getMessages(), "the Swagger parser reads it without a message");
    assertEquals(SpecVersion.V31, parsed.getOpenAPI().getSpecVersion());
    assertEquals("3.1.0", parsed.getOpenAPI().getOpenapi());

    // The portal links to it, under the same Content-Security-Policy as before (a plain link needs no exception).
    HttpResponse<String> portal = deployment.node().send("GET", "/portal/", null, null);
    assertTrue(portal.body().contains("href=\"/api/v1/openapi.json\""), portal.body());
    assertTrue(portal.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'self';"));
  }

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedRouteIsServed() {
    Set<String> real = Stream.of(RouteTable.API, RouteTable.NOT_SENT, RouteTable.OPEN).flatMap(List::stream)
        .map(route -> route.method() + " " + route.template().replaceFirst("\\?.*", ""))
        .filter(route -> !PORTAL.contains(route))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(real, documented(), "the document's operations are the node's routes, no more, no fewer");

    // A method the document does not give a path is one the node does not serve there: 405, as a problem.
    Set<String> documented = documented();
    for (String route : documented) {
      String template = route.substring(route.indexOf(' ') + 1);
      for (String method : METHODS) {
        if (!documented.contains(method.toUpperCase() + " " + template)) {
          var answer = patiently(method.toUpperCase(), calls.fill(template) + "?expires=1&signature=x", KEY);
          assertEquals(405, answer.statusCode(), method + " " + template + ": " + answer.body());
          validate("#/components/schemas/Problem", answer.body());
        }
      }
    }

    // An operation the document puts behind the key answers 401 without one, as documented (a problem document).
    for (var path : doc.get("paths").properties()) {
      for (String method : METHODS) {
        JsonNode operation = path.getValue().get(method);
        if (operation != null && !operation.has("security")) {
          var answer = patiently(method.toUpperCase(), calls.fill(path.getKey()), null);
          assertEquals(401, answer.statusCode(), method + " " + path.getKey() + ": " + answer.body());
          assertTrue(operation.get("responses").has("401") && operation.get("responses").has("429"),
              method + " " + path.getKey() + " documents its 401 and the 429 of failed authentications");
          validate("#/components/schemas/Problem", answer.body());
        }
      }
    }
    // Those failed authentications hold this address back a moment; the other tests need it.
    assertEquals(200, patiently("GET", "/api/v1/session", KEY).statusCode());
  }

  @Test
  void everyOperationAnswersAsDocumented() {
    Set<String> called = calls.everyOperation();
    Set<String> operations = new TreeSet<>();
    doc.get("paths").forEach(item -> METHODS.forEach(method -> {
      if (item.has(method)) {
        operations.add(item.get(method).get("operationId").asText());
      }
    }));
    assertEquals(operations, called, "each documented operation was called and answered as documented");
  }

  @Test
  void everyExampleValidatesAgainstItsSchema() {
    int examples = 0;
    for (var schema : doc.get("components").get("schemas").properties()) {
      for (JsonNode example : schema.getValue().path("examples")) {
        validate("#/components/schemas/" + schema.getKey(), example.toString());
        examples++;
      }
    }
    assertTrue(examples >= 30, "the document's schemas carry their examples: " + examples);
    // And wrong ones are refused, through $refs too: the check checks.
    JsonNode tenant = doc.get("components").get("schemas").get("Tenant").get("examples").get(0);
    assertTrue(errors("#/components/schemas/Tenant", tenant.toString()).isEmpty());
    assertFalse(errors("#/components/schemas/Tenant", "{\"id\":\"x\"}").isEmpty(), "required fields");
    assertFalse(errors("#/components/schemas/Tenant", tenant.toString().replace("\"authorized\"", "\"bogus\""))
        .isEmpty(), "an enum behind a $ref");
    assertFalse(errors("#/components/schemas/Tenant", tenant.toString().replaceFirst("\\{", "{\"undocumented\":1,"))
        .isEmpty(), "a field the document does not name");
  }

  /**
   * The request, with the key or without. Failed authentications from one address are rate limited (and then so is
   * the address, key or not): a 429 problem with its Retry-After is waited out and the request sent again.
   */
  private static HttpResponse<String> patiently(String method, String path, String key) {
    for (int attempt = 0; ; attempt++) {
      var answer = deployment.node().send(method, path, null, key);
      if (answer.statusCode() != 429 || attempt == 10) {
        return answer;
      }
      validate("#/components/schemas/Problem", answer.body());
      long seconds = Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow());
      try {
        Thread.sleep(Duration.ofSeconds(seconds).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static Set<String> documented() {
    Set<String> routes = new TreeSet<>();
    for (var path : doc.get("paths").properties()) {
      METHODS.stream().filter(path.getValue()::has).forEach(method -> routes.add(method.toUpperCase() + " " + path.getKey()));
    }
    return routes;
  }

  /** Fails unless {@code json} is valid against the schema at {@code pointer} (a fragment of the document). */
  static void validate(String pointer, String json) {
    List<String> errors = errors(pointer, json);
    assertTrue(errors.isEmpty(), pointer + " refuses " + json + ": " + errors);
  }

  private static List<String> errors(String pointer, String json) {
    var schema = schemas.getSchema(SchemaLocation.of(DOC_URI + pointer));
    List<String> errors = new ArrayList<>();
    schema.validate(json, InputFormat.JSON).forEach(error -> errors.add(error.toString()));
    return errors;
  }
}
