package io.entrabackup.node.fuzz;

import io.entrabackup.node.fuzz.FuzzRequest.Expect;
import java.util.List;
import java.util.Random;

/**
 * Dates and durations at and past the edges: year 0 and 99999, offsets instead of Z, impossible days, garbage, in
 * a download's {@code asOf}, an activation's {@code frequency}, the audit trail's {@code from}/{@code to}, a link's
 * {@code expires} and an {@code If-Range} date.
 */
final class OddDates implements FuzzCategory {

  /** Instants ISO-8601 can write but no backup has (or the parser takes and the store may not). */
  private static final List<String> EDGE_INSTANTS = List.of("0000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z",
      "+99999-12-31T23:59:59Z", "+999999999-12-31T23:59:59.999999999Z", "-999999999-01-01T00:00:00Z",
      "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "2262-04-11T23:47:16.854775808Z", "9999-12-31T23:59:59Z",
      "2038-01-19T03:14:08Z", "1582-10-10T00:00:00Z", "2026-01-01T00:00:00+01:00", "2026-01-01T00:00:00-18:00");

  private static final List<String> GARBAGE = List.of("", "now", "yesterday", "2026-13-45T25:61:61Z",
      "2026-02-30T00:00:00Z", "2026-01-01", "2026-01-01T00:00:00",
      "2026-01-01T00:00:00+25:00", "2026-01-01T00:00:00.0000000000Z", "1767225600", "-1", "T", "Z", "20260101T000000Z",
      "2026-W01-1", "Mon, 01 Jan 2026 00:00:00 GMT", "9".repeat(400), "2026-01-01T00:00:00Z\u0000",
      "２０２６-01-01T00:00:00Z");

  private static final List<String> FREQUENCIES = List.of("P0D", "PT0S", "PT1S", "PT1M", "-P1D", "P99999Y",
      "P9999999999999999D", "PT9223372036854775807S", "P1W", "P1M", "P1Y", "1 day", "daily", "weekly", "", "P", "PT",
      "P1DT-1H", "p1d", "P1.5D", "P1D\u0000");

  @Override
  public String name() {
    return "odd-dates";
  }

  @Override
  public FuzzRequest next(Random random, Targets targets) {
    return switch (random.nextInt(6)) {
      case 0 -> download(targets, Hostile.pick(random, GARBAGE), Expect.REFUSED);
      // A valid but odd instant starts a download of the tenant that has none of A's data: a small job at most.
      case 1 -> download(targets, Hostile.pick(random, EDGE_INSTANTS), Expect.EITHER);
      case 2 -> FuzzRequest.of(name(), Expect.EITHER, "POST", "/api/v1/tenants/" + targets.tenantA() + "/activation")
          .withKey(targets.keyA())
          .withBody("{\"immediateBackup\":false,\"frequency\":\"" + Hostile.pick(random, FREQUENCIES) + "\"}");
      case 3 -> FuzzRequest.of(name(), Expect.EITHER, "GET", "/api/v1/audit?from="
              + Hostile.encode(instant(random)) + "&to=" + Hostile.encode(instant(random)))
          .withKey(targets.keyA());
      case 4 -> FuzzRequest.of(name(), Expect.REFUSED, "GET", targets.linkA().replaceAll("expires=\\d+",
          "expires=" + Hostile.pick(random, List.of("-1", "0", "99999999999999999999", "1e10", "%00", "",
              "9223372036854775807", "-9223372036854775808", "2026-01-01T00:00:00Z"))));
      default -> FuzzRequest.of(name(), Expect.OK, "GET", targets.linkA())
          .withHeader("Range", "bytes=0-9")
          .withHeader("If-Range", Hostile.pick(random, List.of("Mon, 01 Jan 0001 00:00:00 GMT",
              "Fri, 31 Dec 99999 23:59:59 GMT", "garbage", "\"\"", "W/\"x\"", "Thu, 01 Jan 1970 00:00:00 GMT")));
    };
  }

  private static String instant(Random random) {
    return random.nextBoolean() ? Hostile.pick(random, EDGE_INSTANTS) : Hostile.pick(random, GARBAGE);
  }

  /** A download asked as of the instant, of the pending tenant (no backups) or of A's users. */
  private FuzzRequest download(Targets targets, String asOf, Expect expect) {
    String tenant = expect == Expect.EITHER ? targets.pendingTenantA() : targets.tenantA();
    return FuzzRequest.of(name(), expect, "POST", "/api/v1/tenants/" + tenant + "/downloads")
        .withKey(targets.keyA())
        .withBody("{\"scope\":\"type\",\"type\":\"users\",\"asOf\":\"" + asOf.replace("\u0000", "\\u0000") + "\"}");
  }
}
