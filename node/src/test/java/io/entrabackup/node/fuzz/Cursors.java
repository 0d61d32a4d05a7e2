package io.entrabackup.node.fuzz;

import io.entrabackup.node.fuzz.FuzzRequest.Expect;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Paging abused: B's cursor on A's lists, A's cursor on another type or list, cursors altered by a character,
 * hand-made cursors of the right shape, huge ones, and limits that are not 1..max.
 */
final class Cursors implements FuzzCategory {

  private static final List<String> LIMITS = List.of("0", "-1", "501", "99999999999", "1.5", "abc", "", "%00",
      "1e3", "0x10");
  /** Limits a lenient reader may take (a sign, spaces, other scripts' digits). */
  private static final List<String> ODD_LIMITS = List.of("+5", " 5", "５", "٣", "007", "500", "1");

  @Override
  public String name() {
    return "cursors";
  }

  @Override
  public FuzzRequest next(Random random, Targets targets) {
    String objects = "/api/v1/tenants/" + targets.tenantA() + "/objects/";
    return switch (random.nextInt(8)) {
      case 0 -> refused(targets, objects + "users?cursor=" + targets.cursorB());
      case 1 -> refused(targets, objects + Hostile.pick(random, List.of("groups", "roleDefinitions", "directoryRoles"))
          + "?cursor=" + targets.cursorA());
      // A's own cursor with its position altered still names A's list: another page of it is a fair answer.
      case 2 -> either(targets, objects + "users?cursor=" + Hostile.encode(Hostile.altered(random, targets.cursorA())));
      case 3 -> refused(targets, objects + "users?cursor=" + handMade(random, targets));
      case 4 -> refused(targets, objects + "users?limit=" + Hostile.encode(Hostile.pick(random, LIMITS)));
      case 5 -> either(targets, "/api/v1/jobs?kind=" + Hostile.pick(random, List.of("backup", "download", "restore"))
          + "&cursor=" + Hostile.pick(random, List.of(targets.backupJobB(), targets.downloadJobB(),
              Hostile.segment(random), Hostile.altered(random, targets.backupJobA()))));
      case 6 -> either(targets, "/api/v1/tenants?cursor=" + Hostile.pick(random, List.of(targets.tenantB(),
          Hostile.segment(random), targets.cursorA()))
          + "&limit=" + Hostile.encode(Hostile.pick(random, random.nextBoolean() ? LIMITS : ODD_LIMITS)));
      default -> {
        String cursor = Hostile.segment(random);
        // A blank cursor is no cursor: the first page.
        boolean blank = isBlank(cursor);
        yield blank ? either(targets, objects + "users?cursor=" + cursor) : refused(targets, objects + "users?cursor="
            + cursor);
      }
    };
  }

  private static boolean isBlank(String encoded) {
    try {
      return java.net.URLDecoder.decode(encoded.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8).isBlank();
    } catch (IllegalArgumentException notEvenDecodable) {
      return false;
    }
  }

  /** A cursor of the shape the API gives out, naming B's tenant or a list of A's with made-up keys. */
  private static String handMade(Random random, Targets targets) {
    String scope = random.nextBoolean()
        ? targets.tenantB() + "/users"
        : targets.tenantA() + "/" + Hostile.segment(random);
    String position = switch (random.nextInt(4)) {
      case 0 -> "[\"a\",\"b\"]";
      case 1 -> "[" + "[".repeat(200) + "]".repeat(200) + "]";
      case 2 -> "[1,2,3,{\"x\":null}]";
      default -> "\"" + "z".repeat(random.nextInt(5000)) + "\"";
    };
    String json = "{\"for\":\"" + scope + "\",\"n\":" + position + "}";
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private FuzzRequest refused(Targets targets, String path) {
    return FuzzRequest.of(name(), Expect.REFUSED, "GET", path).withKey(targets.keyA());
  }

  private FuzzRequest either(Targets targets, String path) {
    return FuzzRequest.of(name(), Expect.EITHER, "GET", path).withKey(targets.keyA());
  }
}
