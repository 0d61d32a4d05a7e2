package io.entrabackup.node.fuzz;

import io.entrabackup.node.fuzz.FuzzRequest.Expect;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Every body the API reads, spoiled: oversized, deeply nested, not JSON, wrong types, unknown fields, unknown enum
 * values, nulls, duplicate fields, odd encodings. A body that still reads as valid (a number coerced to a string,
 * say, or bytes that are not UTF-8 read with replacement characters) may be taken: those are {@link Expect#EITHER}.
 * Oversized bodies stay near the limit: a node may close the connection after answering 413 to a far larger one
 * before the sender has read the answer.
 */
final class JsonBodies implements FuzzCategory {

  /** A route that reads a body and the valid JSON value of each of its fields. */
  private record BodyRoute(Function<Targets, String> path, Map<String, String> fields, boolean bootstrap) {}

  private static final String OBJECT = "/objects/users/";

  private static final List<BodyRoute> ROUTES = List.of(
      new BodyRoute(t -> "/api/v1/tenants",
          fields("displayName", "\"Fabrikam\"", "entraTenant", "\"fabrikam.example\""), false),
      new BodyRoute(t -> "/api/v1/tenants/" + t.tenantA() + "/activation",
          fields("immediateBackup", "false", "frequency", "\"P1D\""), false),
      new BodyRoute(t -> "/api/v1/tenants/" + t.tenantA() + "/downloads",
          fields("scope", "\"object\"", "type", "\"users\"", "objectId", "\"x\"", "versionId", "\"v\"", "asOf",
              "\"2026-01-01T00:00:00Z\"", "runId", "\"r\"", "includeDeleted", "true"), false),
      new BodyRoute(t -> "/api/v1/tenants/" + t.tenantA() + OBJECT + t.userA() + "/restore-plans",
          fields("version", "\"not-a-version\""), false),
      new BodyRoute(t -> "/api/v1/tenants/" + t.tenantA() + OBJECT + t.userA() + "/restores",
          fields("version", "\"not-a-version\""), false),
      new BodyRoute(t -> "/api/v1/accounts", fields("id", "\"x\"", "displayName", "\"x\""), true),
      new BodyRoute(t -> "/api/v1/accounts/" + t.accountA() + "/keys", fields("name", "\"\""), false));

  private static final List<String> WRONG_VALUES = List.of("7", "-0", "1e999999", "3.14", "true", "false", "null",
      "[]", "[\"a\"]", "{}", "{\"a\":1}", "\"\"", "\"\\u0000\"", "\"" + "x".repeat(5000) + "\"", "\"users\\\"}\"",
      "\"\\ud800\"", "\"<script>alert(1)</script>\"", "\"everything\"", "\"USERS\"", "\"P-1D\"", "\"printers\"");

  private static final List<String> NOT_JSON = List.of("", " ", "null", "[]", "\"text\"", "42", "{", "}", "{\"a\"",
      "{'a':1}", "{\"a\":1,}", "{\"a\":1} trailing", "{\"a\":1}{\"b\":2}", "/* comment */ {}", "{\"a\":NaN}",
      "{\"a\":Infinity}", "{\"a\":0x10}", "{\"a\":01}", "<xml/>", "a=1&b=2", "\uFEFF{}", "{\"\\u0000\":1}",
      "{\"a\":\"\\x41\"}", "{\"a\":\"unterminated}");

  @Override
  public String name() {
    return "json-bodies";
  }

  @Override
  public FuzzRequest next(Random random, Targets targets) {
    BodyRoute route = Hostile.pick(random, ROUTES);
    String key = route.bootstrap() && random.nextBoolean() ? targets.bootstrapKey() : targets.keyA();
    FuzzRequest request = FuzzRequest.of(name(), Expect.REFUSED, "POST", route.path().apply(targets)).withKey(key);
    return switch (random.nextInt(9)) {
      case 0 -> request.withBody(oversized(random, route));
      case 1 -> request.withBody(nested(random));
      case 2 -> request.withBody(Hostile.pick(random, NOT_JSON));
      case 3 -> either(request).withBody(object(route, random, Hostile.pick(random, WRONG_VALUES)));
      case 4 -> request.withBody(unknownField(route, random));
      case 5 -> request.withBody(duplicated(route, random));
      // Bytes that are not UTF-8 may be read with replacement characters: a name of those is still a name.
      case 6 -> either(request).withBody(invalidUtf8(random));
      case 7 -> request.withBody(object(route, random, Hostile.pick(random, List.of("[]", "{}", "[[[]]]",
          "{\"$ne\":null}", "[" + "1,".repeat(20_000) + "1]"))));
      default -> request.withBody(all(route, "null"));
    };
  }

  private static FuzzRequest either(FuzzRequest request) {
    return request.expecting(Expect.EITHER);
  }

  private static String oversized(Random random, BodyRoute route) {
    String field = route.fields().keySet().iterator().next();
    return "{\"" + field + "\":\"" + "a".repeat(65_536 + random.nextInt(100_000)) + "\"}";
  }

  private static String nested(Random random) {
    int depth = 500 + random.nextInt(30_000);
    return random.nextBoolean()
        ? "[".repeat(depth) + "]".repeat(depth)
        : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
  }

  /** The route's valid object with one field's value replaced. */
  private static String object(BodyRoute route, Random random, String value) {
    List<String> names = List.copyOf(route.fields().keySet());
    String replaced = names.get(random.nextInt(names.size()));
    StringBuilder json = new StringBuilder("{");
    route.fields().forEach((name, valid) -> json.append(json.length() > 1 ? "," : "").append('"').append(name)
        .append("\":").append(name.equals(replaced) ? value : valid));
    return json.append('}').toString();
  }

  private static String unknownField(BodyRoute route, Random random) {
    String valid = object(route, random, route.fields().values().iterator().next());
    String field = Hostile.pick(random, List.of("__proto__", "constructor", "account", "accountId", "tenantId",
        "admin", "scopes", "status", "\\u0000", "", "x".repeat(1000)));
    return valid.substring(0, valid.length() - 1) + ",\"" + field + "\":\"b\"}";
  }

  /** A field twice: the second meant to override what a check read from the first. */
  private static String duplicated(BodyRoute route, Random random) {
    String valid = object(route, random, route.fields().values().iterator().next());
    String first = route.fields().keySet().iterator().next();
    return valid.substring(0, valid.length() - 1) + ",\"" + first + "\":" + Hostile.pick(random, WRONG_VALUES) + "}";
  }

  private static String all(BodyRoute route, String value) {
    StringBuilder json = new StringBuilder("{");
    route.fields().keySet().forEach(name -> json.append(json.length() > 1 ? "," : "").append('"').append(name)
        .append("\":").append(value));
    return json.append('}').toString();
  }

  private static byte[] invalidUtf8(Random random) {
    byte[] prefix = "{\"displayName\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[prefix.length + 8 + 2];
    System.arraycopy(prefix, 0, bytes, 0, prefix.length);
    for (int i = prefix.length; i < prefix.length + 8; i++) {
      bytes[i] = (byte) (0x80 + random.nextInt(0x80));
    }
    bytes[bytes.length - 2] = '"';
    bytes[bytes.length - 1] = '}';
    return bytes;
  }

  private static Map<String, String> fields(String... pairs) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      fields.put(pairs[i], pairs[i + 1]);
    }
    return fields;
  }
}
