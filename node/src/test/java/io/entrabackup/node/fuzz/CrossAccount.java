package io.entrabackup.node.fuzz;

import io.entrabackup.node.fuzz.FuzzRequest.Expect;
import io.entrabackup.node.fuzz.RouteTable.Route;
import java.util.List;
import java.util.Random;

/**
 * A's key reaching for B: every route with B's tenant, object, version, jobs, account or key in place of A's (alone
 * or mixed with A's), each with a valid body, so that only the account check stands between A and B's data.
 */
final class CrossAccount implements FuzzCategory {

  @Override
  public String name() {
    return "cross-account";
  }

  @Override
  public FuzzRequest next(Random random, Targets targets) {
    if (random.nextInt(10) == 0) {
      return refused("POST", "/api/v1/tenants", targets)
          .withBody("{\"displayName\":\"Mine\",\"entraTenant\":\"" + Hostile.pick(random,
              List.of(targets.directoryB(), targets.directoryB().toUpperCase(), " " + targets.directoryB())) + "\"}");
    }
    if (random.nextInt(10) == 0) {
      return refused("POST", "/api/v1/accounts", targets)
          .withBody("{\"id\":\"" + targets.accountB() + "\",\"displayName\":\"taken over\"}");
    }
    Route route = Hostile.pick(random, RouteTable.API.stream()
        .filter(r -> r.has("tenant") || r.has("job") || r.has("account")).toList());
    boolean all = random.nextBoolean();
    String path = route.template();
    if (all || random.nextBoolean()) {
      path = path.replace("{tenant}", targets.tenantB()).replace("{account}", targets.accountB());
    }
    if (all || random.nextBoolean()) {
      path = path.replace("{object}", targets.userB()).replace("{version}", targets.versionB());
    }
    path = path.replace("{job}", Hostile.pick(random, List.of(targets.backupJobB(), targets.downloadJobB())))
        .replace("{key}", Hostile.pick(random, List.of(targets.keyIdB(), targets.keyIdA())));
    String filled = targets.fill(path);
    if (!filled.contains(targets.tenantB()) && !filled.contains(targets.accountB()) && !filled.contains(targets.userB())
        && !filled.contains(targets.versionB()) && !filled.contains(targets.backupJobB())
        && !filled.contains(targets.downloadJobB())) {
      // Nothing of B's made it in: put B's tenant in, so the request still reaches for B.
      filled = targets.fill(route.template().replace("{tenant}", targets.tenantB())
          .replace("{account}", targets.accountB()).replace("{job}", targets.backupJobB()));
    }
    if (filled.contains("/keys/" + targets.keyIdA()) && filled.contains(targets.accountA())) {
      filled = filled.replace(targets.keyIdA(), targets.keyIdB());
    }
    FuzzRequest request = refused(route.method(), filled, targets);
    return route.method().equals("POST") || route.method().equals("PUT")
        ? request.withBody(validBody(route, random, targets)) : request;
  }

  /** The body a route would take from B itself. */
  private static String validBody(Route route, Random random, Targets targets) {
    String template = route.template();
    if (template.endsWith("/activation")) {
      return "{\"immediateBackup\":" + random.nextBoolean() + ",\"frequency\":\"P1D\"}";
    }
    if (template.endsWith("/downloads")) {
      return Hostile.pick(random, List.of("{\"scope\":\"tenant\"}", "{\"scope\":\"type\",\"type\":\"users\"}",
          "{\"scope\":\"object\",\"type\":\"users\",\"objectId\":\"" + targets.userB() + "\"}"));
    }
    if (template.endsWith("/restore-plans") || template.endsWith("/restores")) {
      return "{\"version\":\"" + Hostile.pick(random, List.of(targets.versionB(), targets.versionA())) + "\"}";
    }
    if (template.endsWith("/keys")) {
      return "{\"name\":\"pwned\"}";
    }
    if (template.endsWith("/retention")) {
      return "{\"keepDays\":30}";
    }
    return "{}";
  }

  private FuzzRequest refused(String method, String path, Targets targets) {
    return FuzzRequest.of(name(), Expect.REFUSED, method, path).withKey(targets.keyA());
  }
}
