package io.entrabackup.node.fuzz;

import io.entrabackup.node.fuzz.FuzzRequest.Expect;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Requests no HTTP client library would send, written byte for byte: broken request lines and versions, invalid
 * percent-encoding and raw bytes in the target, absolute and asterisk forms, duplicate {@code Host}, headers without
 * colons or with folded lines, conflicting or negative {@code Content-Length}, {@code Transfer-Encoding} smuggling,
 * upgrade attempts, huge request lines and header blocks.
 */
final class RawRequests implements FuzzCategory {

  private static final List<Raw> REQUESTS = List.of(
      lenient((r, t) -> "GET /api/v1/tenants HTTP/"
          + Hostile.pick(r, List.of("9.9", "1.2", "0.9", "2.0", "1", "x", "")) + "\r\n"
          + auth(t) + "\r\n"),
      strict((r, t) -> "GET  HTTP/1.1\r\nHost: a\r\n\r\n"),
      strict((r, t) -> "GET /api/v1/tenants/"
          + Hostile.pick(r, List.of("%zz", "%", "%2", "%u0041", "%%", "a%g0")) + " HTTP/1.1\r\n"
          + auth(t) + "\r\n"),
      strict((r, t) -> "GET /api/v1/tenants/"
          + Hostile.pick(r, List.of("a b", "\u0000", "\u00ff", "é", "租", "\u0007", "<>",
          "{}", "|", "^", "`", "\"")) + " HTTP/1.1\r\n" + auth(t) + "\r\n"),
      lenient((r, t) -> "GET http://evil.example/api/v1/tenants HTTP/1.1\r\n" + auth(t) + "\r\n"),
      strict((r, t) -> "GET * HTTP/1.1\r\nHost: a\r\n\r\n"),
      strict((r, t) -> "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"),
      lenient((r, t) -> "GET /api/v1/tenants HTTP/1.1\r\nHost: a\r\nHost: b\r\nAuthorization: Bearer " + t.keyA()
          + "\r\n\r\n"),
      strict((r, t) -> "GET /api/v1/tenants HTTP/1.1\r\nHost: a\r\nNoColonHere\r\n\r\n"),
      strict((r, t) -> "GET /api/v1/tenants HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n"),
      lenient((r, t) -> "GET /api/v1/tenants HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer\r\n " + t.keyA()
          + "\r\n\r\n"),
      strict((r, t) -> "POST /api/v1/tenants HTTP/1.1\r\n" + auth(t)
          + "Content-Type: application/json\r\nContent-Length: "
          + Hostile.pick(r, List.of("-1", "abc", "1, 2", "0x10", "+5")) + "\r\n\r\n{}"),
      strict((r, t) -> "POST /api/v1/tenants HTTP/1.1\r\n" + auth(t)
          + "Content-Type: application/json\r\nContent-Length: 2\r\n"
          + "Content-Length: 40\r\n\r\n{}"),
      strict((r, t) -> "POST /api/v1/tenants HTTP/1.1\r\n" + auth(t)
          + "Content-Type: application/json\r\nContent-Length: 4\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
      strict((r, t) -> "POST /api/v1/tenants HTTP/1.1\r\n" + auth(t) + "Content-Type: application/json\r\n"
          + "Transfer-Encoding: " + Hostile.pick(r, List.of("chunked, chunked", "gzip", "xchunked", "chunked\u0000",
              "identity")) + "\r\n\r\n2\r\n{}\r\n0\r\n\r\n"),
      strict((r, t) -> "POST /api/v1/tenants HTTP/1.1\r\n" + auth(t) + "Content-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n"
          + Hostile.pick(r, List.of("zz", "-1", "fffffffffffffffffff", "2;x=\u0000"))
          + "\r\n{}\r\n0\r\n\r\n"),
      lenient((r, t) -> "GET /api/v1/tenants HTTP/1.1\r\n" + auth(t).replace("Connection: close\r\n", "")
          + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: " + Hostile.pick(r, List.of("h2c", "websocket", "TLS/1.0"))
          + "\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\nConnection: close\r\n\r\n"),
      strict((r, t) -> "GET /" + "a".repeat(10_000 + r.nextInt(100_000)) + " HTTP/1.1\r\nHost: a\r\n\r\n"),
      strict((r, t) -> "GET /api/v1/tenants HTTP/1.1\r\n" + auth(t) + "X-" + "h".repeat(20_000) + ": v\r\n\r\n"),
      lenient((r, t) -> "GET /health/live HTTP/1.0\r\n\r\n"),
      strict((r, t) -> "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003\r\n\r\n"),
      strict((r, t) -> "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
      lenient((r, t) -> "GET /api/v1/tenants HTTP/1.1\nHost: a\nAuthorization: Bearer " + t.keyA()
          + "\nConnection: close\n\n"),
      strict((r, t) -> "GET /api/v1/tenants HTTP/1.1\r\nHost: a\r\n" + "X-A: b\r\n".repeat(100
          + r.nextInt(2_000)) + "\r\n"));

  @Override
  public String name() {
    return "raw-requests";
  }

  @Override
  public FuzzRequest next(Random random, Targets targets) {
    Raw raw = Hostile.pick(random, REQUESTS);
    String text = raw.text().apply(random, targets);
    Expect expect = raw.lenient() ? Expect.EITHER : Expect.REFUSED;
    String first = text.lines().findFirst().orElse("");
    return FuzzRequest.raw(name(), expect, first.length() > 100 ? first.substring(0, 100) : first,
        bytes(text));
  }

  /**
   * A request's text, and whether a lenient parser may take it as valid (another version, the absolute form, a
   * duplicate Host, a folded header, an upgrade it ignores, HTTP/1.0, bare LF): a 2xx is allowed there.
   */
  private record Raw(boolean lenient, BiFunction<Random, Targets, String> text) {}

  private static Raw strict(BiFunction<Random, Targets, String> text) {
    return new Raw(false, text);
  }

  private static Raw lenient(BiFunction<Random, Targets, String> text) {
    return new Raw(true, text);
  }

  /** Characters up to U+00FF as single bytes (the test's own control bytes), anything above as UTF-8. */
  private static byte[] bytes(String text) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    text.codePoints().forEach(c -> out.writeBytes(c <= 0xFF ? new byte[] {(byte) c}
        : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)));
    return out.toByteArray();
  }

  /** Host, A's key and Connection: close, each line ended. */
  private static String auth(Targets targets) {
    return "Host: 127.0.0.1\r\nAuthorization: Bearer " + targets.keyA() + "\r\nConnection: close\r\n";
  }
}
