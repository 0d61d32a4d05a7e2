package io.entrabackup.node.fuzz;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/** The adversarial values the categories share: ids that are not, strings too long or too strange, and encodings. */
public final class Hostile {

  /** Values as text, percent-encoded before they go into a path or query. */
  public static final List<String> TEXT = List.of(
      "", " ", "not-a-uuid", "null", "undefined", "-1", "0", "1e309", "NaN", "99999999999999999999999999",
      "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
      "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
      "3f2504e04f8941d39a0c0305e82c3301", "{3f2504e0-4f89-41d3-9a0c-0305e82c3301}", "3f2504e0-4f89-41d3-9a0c",
      "' OR '1'='1", "'; DROP TABLE tenants; --", "\" OR \"\"=\"", "<script>alert(1)</script>",
      "\"><img src=x onerror=alert(1)>", "${jndi:ldap://127.0.0.1/a}", "#{7*7}", "{{7*7}}", "%s%s%s%n",
      "../../../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/passwd", "a/b", "C:\\boot.ini", "CON", "*", "?", "#",
      "ünïcödé", "租户", "😀😀😀", "\u202egnp.exe", "a\u200bb", "\uFEFFid", "Ω≈ç√∫", "\u0000",
      "\u0001\u0002",
      "line\r\nSet-Cookie: x=1", "tab\tbed", "users\u0000.json", "\uD800", "A".repeat(300), "é".repeat(200));

  /** Values already percent-encoded as an attacker writes them: they go into a path or query as they are. */
  public static final List<String> ENCODED = List.of(
      "%00", "%2e%2e%2f", "..%2f", "..%2F..%2Fetc%2Fpasswd", "%2f", "%2F", "%252f", "%5c", "%c0%ae%c0%ae", "%ff%fe",
      "%e2%80%ae", "%ef%bf%bd", "%0d%0a", "%0aX-Injected:%201", "%25", "%u002e", "%C0%AF", "%e0%80%af", "..;", ";x=1",
      "%3Cscript%3E", "%7B%7D", "%22", "%27", "a%00b", "%F0%9F%98%80", "%2e", "%2e%2e", "..", ".", "%09", "%20");

  private Hostile() {}

  public static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** A hostile value fit for a path segment or query value: either encoded text or an attacker's own encoding. */
  public static String segment(Random random) {
    if (random.nextInt(10) == 0) {
      return encode(huge(random));
    }
    return random.nextBoolean() ? encode(pick(random, TEXT)) : pick(random, ENCODED);
  }

  /** Text of 1k to 40k characters, sometimes of one repeated character, sometimes mixed scripts. */
  public static String huge(Random random) {
    int length = 1_000 + random.nextInt(39_000);
    if (random.nextBoolean()) {
      return String.valueOf("aZ9-_é租😀".charAt(random.nextInt(7))).repeat(length);
    }
    StringBuilder text = new StringBuilder(length);
    while (text.length() < length) {
      text.append(pick(random, TEXT));
    }
    return text.toString();
  }

  public static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code text} with one character changed, one removed or one added, at random. */
  public static String altered(Random random, String text) {
    if (text.isEmpty()) {
      return "A";
    }
    int at = random.nextInt(text.length());
    char other = "AQZaqz019-_".charAt(random.nextInt(11));
    return switch (random.nextInt(4)) {
      case 0 -> text.substring(0, at) + (text.charAt(at) == other ? 'B' : other) + text.substring(at + 1);
      case 1 -> text.substring(0, at) + text.substring(at + 1);
      case 2 -> text.substring(0, at) + other + text.substring(at);
      default -> text.substring(0, Math.max(0, text.length() - 1 - random.nextInt(Math.min(8, text.length()))));
    };
  }
}
