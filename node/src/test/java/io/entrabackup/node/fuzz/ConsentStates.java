package io.entrabackup.node.fuzz;

import io.entrabackup.node.fuzz.FuzzRequest.Expect;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * The consent callback attacked as issue 15 tells: A's live state sent with B's directory (the crafted callback) or
 * a made-up one, used states replayed (A's and B's, with or without an error), states altered or made by hand,
 * parameters missing, doubled or huge; and the tenant page it leads to with junk ids and results.
 */
final class ConsentStates implements FuzzCategory {

  private static final List<String> ERRORS = List.of("access_denied", "consent_required", "invalid_request",
      "<script>alert(1)</script>", "", "x".repeat(5000));

  @Override
  public String name() {
    return "consent-states";
  }

  @Override
  public FuzzRequest next(Random random, Targets targets) {
    String used = Hostile.pick(random, targets.usedCallbacks());
    String fresh = Hostile.encode(targets.freshStateA());
    return switch (random.nextInt(9)) {
      case 0 -> callback("/auth/callback?state=" + fresh + "&tenant="
          + Hostile.pick(random,
              List.of(targets.directoryB(), targets.directoryB().toUpperCase(), targets.directoryA()))
          + "&admin_consent=True");
      case 1 -> callback("/auth/callback?state=" + fresh + "&tenant=" + Hostile.pick(random, List.of(
          Hostile.encode(Hostile.pick(random, Hostile.TEXT)), Hostile.pick(random, Hostile.ENCODED)))
          + "&admin_consent=True");
      case 2 -> callback("/auth/callback?state=" + fresh + "&tenant=" + targets.directoryB()
          + "&admin_consent=" + Hostile.pick(random, List.of("False", "", "1", "yes", "TRUE%00")));
      case 3 -> callback(used);
      case 4 -> callback(used.replaceAll("tenant=[^&]*", "tenant=" + Hostile.pick(random, List.of(targets.directoryA(),
          targets.directoryB()))));
      case 5 -> callback(used.substring(0, used.indexOf('?')) + "?state=" + SignedLinks.param(used, "state")
          + "&error=" + Hostile.encode(Hostile.pick(random, ERRORS)) + "&error_description="
          + Hostile.encode(Hostile.pick(random, ERRORS)));
      case 6 -> callback("/auth/callback?state=" + Hostile.encode(altered(random, targets.freshStateA()))
          + "&tenant=" + targets.directoryB() + "&admin_consent=True");
      case 7 -> callback(Hostile.pick(random, List.of("/auth/callback", "/auth/callback?", "/auth/callback?state=",
          "/auth/callback?state=" + fresh + "&state=" + Hostile.segment(random) + "&tenant=" + targets.directoryB()
              + "&admin_consent=True",
          "/auth/callback?state=" + Hostile.segment(random) + "&tenant=" + Hostile.segment(random)
              + "&admin_consent=True",
          "/auth/callback?" + "a=1&".repeat(500 + random.nextInt(5_000)))));
      default -> FuzzRequest.of(name(), Expect.EITHER, "GET", "/portal/tenants/" + Hostile.segment(random)
          + "?consent=" + Hostile.pick(random, List.of("authorized", "refused", Hostile.segment(random))));
    };
  }

  /** A state altered by a character, or one of our shape made by hand (no valid signature). */
  private static String altered(Random random, String state) {
    if (random.nextBoolean()) {
      return Hostile.altered(random, state);
    }
    int dot = state.lastIndexOf('.');
    String payload = "{\"tenant\":\"" + new java.util.UUID(random.nextLong(), random.nextLong())
        + "\",\"account\":\"fuzz-b\",\"nonce\":\"n\","
        + "\"expires\":99999999999}";
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    return dot < 0 ? forged : forged + state.substring(dot);
  }

  private FuzzRequest callback(String path) {
    return FuzzRequest.of(name(), Expect.REFUSED, "GET", path);
  }
}
