package io.entrabackup.node.fuzz;

import io.entrabackup.node.fuzz.FuzzRequest.Expect;
import java.util.List;
import java.util.Random;

/**
 * Headers abused: huge ones, hundreds of them, several {@code Authorization} headers (A's key before the install
 * administrator's must not make A an administrator), keys spelled wrongly, odd content types and charsets, odd
 * {@code Accept}, and bad {@code Range} headers on a download link.
 */
final class HeaderAbuse implements FuzzCategory {

  private static final List<String> READS = List.of("/api/v1/tenants", "/api/v1/tenants/{tenant}",
      "/api/v1/tenants/{tenant}/objects/users", "/api/v1/jobs", "/api/v1/jobs/{job}",
      "/api/v1/jobs/{job}/skipped-items",
      "/api/v1/accounts/{account}/keys", "/api/v1/tenants/{tenant}/objects/users/{object}/versions");

  private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/json; charset=utf-16",
      "application/json; charset=bogus", "application/json; charset=ISO-8859-1", "application/xml",
      "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json;;;", "*/*",
      "application/json; charset=\"utf-8\"", "application/jsonx", "application/problem+json", "image/png", "json",
      "application/json; boundary=" + "x".repeat(3000), "text/html; charset=utf-7");

  private static final List<String> ACCEPTS = List.of("application/xml", "text/csv", "image/*", "*/*;q=0",
      "application/json;q=abc", "text/html", "application/json, text/csv;q=0.9", "", "\u0000", "a".repeat(5000));

  private static final List<String> RANGES = List.of("bytes=abc", "bytes=-", "bytes=5-1", "items=0-1", "bytes=-0",
      "bytes=99999999999999999999-", "bytes=0-99999999999999999999", "bytes=-99999999999999999999", "bytes==0-1",
      "bytes=0-1,2-3", "bytes=" + "0-1,".repeat(2_000) + "0-1", "bytes=\u00000-1", "bytes=1-0", "bytes = 0 - 1",
      "bytes=-1-2", "bytes=0x10-0x20", "BYTES=0-1", "bytes=9223372036854775807-", "bytes=-9223372036854775808");

  @Override
  public String name() {
    return "header-abuse";
  }

  @Override
  public FuzzRequest next(Random random, Targets targets) {
    String read = targets.fill(Hostile.pick(random, READS));
    FuzzRequest get = FuzzRequest.of(name(), Expect.EITHER, "GET", read);
    return switch (random.nextInt(9)) {
      case 0 -> get.withKey(targets.keyA()).withHeader("X-Padding", Hostile.huge(random) + Hostile.huge(random));
      case 1 -> many(random, get.withKey(targets.keyA()));
      case 2 -> get.withKey(Hostile.pick(random, List.of("garbage", Hostile.altered(random, targets.keyA()))))
          .withKey(targets.bootstrapKey());
      case 3 -> refused(FuzzRequest.of(name(), Expect.REFUSED, "GET", "/api/v1/accounts/" + targets.accountB()
          + "/keys")).withKey(targets.keyA()).withKey(targets.bootstrapKey());
      case 4 -> refused(get).withHeader("Authorization", authorization(random, targets));
      // A plan of B's version is not found here (quickly, without asking Graph): the content type is read first.
      case 5 -> FuzzRequest.of(name(), Expect.REFUSED, "POST", "/api/v1/tenants/" + targets.tenantA()
              + "/objects/users/" + targets.userA() + "/restore-plans")
          .withKey(targets.keyA())
          .withHeader("Content-Type", Hostile.pick(random, CONTENT_TYPES))
          .withBody("{\"version\":\"" + targets.versionB() + "\"}");
      case 6 -> get.withKey(targets.keyA()).withHeader("Accept", Hostile.pick(random, ACCEPTS))
          .withHeader("Accept-Charset", Hostile.pick(random, List.of("utf-16", "bogus", "*;q=0", "")));
      case 7 -> FuzzRequest.of(name(), Expect.EITHER, "GET", targets.linkA())
          .withHeader("Range", Hostile.pick(random, RANGES));
      default -> get.withKey(targets.keyA()).withHeader(Hostile.pick(random, List.of("X-Forwarded-For", "Forwarded",
              "X-Real-IP", "Origin", "Cookie", "Referer", "User-Agent", "X-Original-URL", "X-Rewrite-URL")),
          Hostile.pick(random, List.of("127.0.0.1", "for=\"[::1]\";by=evil", "null", "' OR 1=1", "<script>",
              "/api/v1/accounts", "${jndi:ldap://x/a}", "x".repeat(7000))));
    };
  }

  private static FuzzRequest many(Random random, FuzzRequest request) {
    FuzzRequest more = request;
    int count = 65 + random.nextInt(400);
    for (int i = 0; i < count; i++) {
      more = more.withHeader("X-Many-" + i, "v" + i);
    }
    return more;
  }

  private static String authorization(Random random, Targets targets) {
    String key = targets.keyA();
    // Not "bearer" + key without a space: Pekko reads that as a bearer token too (its grammar allows no space), and
    // the sender holds the key anyway.
    return Hostile.pick(random, List.of("Bearer", "Bearer ", "Bearer  " + key + "x", "Basic "
        + java.util.Base64.getEncoder().encodeToString((key + ":").getBytes()), "Token " + key,
        "Bearer " + key.toUpperCase(), "Bearer " + key.substring(0, key.length() - 1), "Bearer " + key + key,
        "Bearer " + "k".repeat(6000), "Bearer ünïcödé", "Bearer null", "Bearer " + targets.keyIdA(),
        "Bearer eb_bootstrap_", "Bearer eyJhbGciOiJub25lIn0.eyJhZG1pbiI6dHJ1ZX0.", "Bearer ' OR 1=1 --"));
  }

  private static FuzzRequest refused(FuzzRequest request) {
    return new FuzzRequest(request.category(), Expect.REFUSED, request.method(), request.path(), request.headers(),
        request.body(), request.raw());
  }
}
