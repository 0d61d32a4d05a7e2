package io.entrabackup.node.fuzz;

import io.entrabackup.node.fuzz.FuzzRequest.Expect;
import io.entrabackup.node.fuzz.RouteTable.Route;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Every route's path bent: double slashes, encoded slashes, dot segments, matrix parameters, backslashes, case,
 * repeated or huge query parameters. A bent path may still reach a route, so any 2xx is fine; a 5xx or a leak not.
 */
final class PathTricks implements FuzzCategory {

  private static final List<BiFunction<Random, String, String>> TRICKS = List.of(
      (r, p) -> at(r, p, "//"),
      (r, p) -> at(r, p, "/%2f"),
      (r, p) -> at(r, p, "%2F"),
      (r, p) -> at(r, p, "/./"),
      (r, p) -> at(r, p, "/../"),
      (r, p) -> at(r, p, "/x/../"),
      (r, p) -> at(r, p, "/%2e%2e/"),
      (r, p) -> at(r, p, "/..%2f"),
      (r, p) -> at(r, p, ";jsessionid=1/"),
      (r, p) -> at(r, p, "%5c"),
      (r, p) -> at(r, p, "/%00/"),
      (r, p) -> p.replace("/api/v1/", Hostile.pick(r, List.of("/API/V1/", "/api/v2/", "/api/v1.0/", "/api/./v1/",
          "//api/v1/", "/api//v1/", "/api/v1//", "/api/v1/../v1/", "/%61pi/v1/", "/api%2fv1/", "/api/%76%31/"))),
      (r, p) -> p + Hostile.pick(r, List.of("/", "//", "/.", "/..", "?", "#x", "%", "%2", ";", "/%20", "?&&&",
          "?=", "?a=1&a=2&a=3")),
      (r, p) -> p + (p.contains("?") ? "&" : "?") + "limit=1&limit=2&cursor=a&cursor=b&kind=backup&kind=restore",
      (r, p) -> p + (p.contains("?") ? "&" : "?") + "q=" + "x".repeat(1_000 + r.nextInt(20_000)),
      (r, p) -> "/" + "a/".repeat(200 + r.nextInt(2_000)) + p,
      (r, p) -> p.replace("/", "\\"),
      (r, p) -> "/health/../api/v1/" + p.substring(Math.min(p.length(), 8)),
      (r, p) -> "/portal/../" + p,
      (r, p) -> "/portal/assets/" + Hostile.pick(r, List.of("..%2f..%2fportal%2findex.html", "%2e%2e/%2e%2e/pom.xml",
          "../../../../../../etc/passwd", "..\\..\\application.conf", "app.js%00.html", "APP.JS", "app.js/",
          "./app.js", "application.conf", "..%252f..%252flogback.xml", "%c0%ae%c0%ae/index.html")));

  @Override
  public String name() {
    return "path-tricks";
  }

  @Override
  public FuzzRequest next(Random random, Targets targets) {
    Route route = RouteTable.any(random);
    String path = Hostile.pick(random, TRICKS).apply(random, targets.fill(route.template()));
    FuzzRequest request = FuzzRequest.of(name(), Expect.EITHER, route.method(), path).withKey(targets.keyA());
    return route.body() == null ? request : request.withBody(route.body());
  }

  /** The path with {@code insert} in place of one of its slashes (the query left alone). */
  private static String at(Random random, String path, String insert) {
    int query = path.indexOf('?');
    String head = query < 0 ? path : path.substring(0, query);
    String tail = query < 0 ? "" : path.substring(query);
    List<Integer> slashes = new java.util.ArrayList<>();
    for (int i = 1; i < head.length(); i++) {
      if (head.charAt(i) == '/') {
        slashes.add(i);
      }
    }
    if (slashes.isEmpty()) {
      return head + insert + tail;
    }
    int at = slashes.get(random.nextInt(slashes.size()));
    return head.substring(0, at) + insert + head.substring(at + 1) + tail;
  }
}
