package io.entrabackup.node.fuzz;

import io.entrabackup.node.fuzz.FuzzRequest.Expect;
import io.entrabackup.node.fuzz.RouteTable.Route;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Every id a path carries (tenant, type, object, version, job, account, key, download) replaced by one that is not:
 * not a UUID, a UUID of nothing, huge, unicode, NUL, encoded slashes and dot segments.
 */
final class BadIds implements FuzzCategory {

  private static final List<String> SLOTS = List.of("tenant", "type", "object", "version", "job", "account", "key");
  /** Values a router may read as no segment at all or as a dot segment: a 2xx of another route is no defect. */
  private static final Set<String> AMBIGUOUS = Set.of("", ".", "..", "%2e", "%2e%2e", ";x=1", "..;", "%2E");

  @Override
  public String name() {
    return "bad-ids";
  }

  @Override
  public FuzzRequest next(Random random, Targets targets) {
    if (random.nextInt(8) == 0) {
      String value = Hostile.segment(random);
      String path = "/api/v1/downloads/" + value + "/content?expires=4102444800&signature=AAAA";
      return FuzzRequest.of(name(), expect(value), "GET", path);
    }
    String slot = Hostile.pick(random, SLOTS);
    Route route = RouteTable.withPlaceholder(random, slot);
    String value = Hostile.segment(random);
    String path = targets.fill(route.template().replace("{" + slot + "}", value));
    FuzzRequest request = FuzzRequest.of(name(), expect(value), route.method(), path).withKey(targets.keyA());
    return route.body() == null ? request : request.withBody(route.body());
  }

  private static Expect expect(String value) {
    return AMBIGUOUS.contains(value) ? Expect.EITHER : Expect.REFUSED;
  }
}
