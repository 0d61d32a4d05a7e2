package io.entrabackup.node.fuzz;

import static io.entrabackup.node.fuzz.FuzzRequest.Expect.OK;

import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/** Valid requests of account A mixed into the run: each must still be answered 2xx amid the hostile ones. */
final class Controls implements FuzzCategory {

  private static final List<BiFunction<Random, Targets, FuzzRequest>> REQUESTS = List.of(
      (r, t) -> api(t, "/api/v1/tenants"),
      (r, t) -> api(t, "/api/v1/tenants?limit=" + (1 + r.nextInt(500))),
      (r, t) -> api(t, "/api/v1/tenants/" + t.tenantA()),
      (r, t) -> api(t, "/api/v1/tenants/" + t.tenantA() + "/objects"),
      (r, t) -> api(t, "/api/v1/tenants/" + t.tenantA() + "/objects/users?limit=2"),
      (r, t) -> api(t, "/api/v1/tenants/" + t.tenantA() + "/objects/users?limit=2&cursor=" + t.cursorA()),
      (r, t) -> api(t, "/api/v1/tenants/" + t.tenantA() + "/objects/groups?search=" + Hostile.encode(
          Hostile.pick(r, List.of("a", "Group", "ünï", "%", "_", "'", "\"", "*")))),
      (r, t) -> api(t, "/api/v1/tenants/" + t.tenantA() + "/objects/users/" + t.userA() + "/versions"),
      (r, t) -> api(t, "/api/v1/tenants/" + t.tenantA() + "/objects/users/" + t.userA() + "/versions/" + t.versionA()),
      (r, t) -> api(t, "/api/v1/tenants/" + t.tenantA() + "/objects/users/" + t.userA() + "/diff?from="
          + t.versionA() + "&to=" + t.versionA()),
      // A plan reads the object back from Graph: the slowest control, so one in four of its turns.
      (r, t) -> r.nextInt(4) == 0
          ? api(t, "/api/v1/tenants/" + t.tenantA() + "/objects/users/" + t.userA() + "/restore-plans")
              .withBody("{\"version\":\"" + t.versionA() + "\"}")
          : api(t, "/api/v1/tenants/" + t.tenantA() + "/objects/users/" + t.userA() + "/versions"),
      (r, t) -> api(t, "/api/v1/jobs"),
      (r, t) -> api(t, "/api/v1/jobs?kind=" + Hostile.pick(r, List.of("backup", "download", "restore"))),
      (r, t) -> api(t, "/api/v1/jobs/" + t.backupJobA()),
      (r, t) -> api(t, "/api/v1/accounts/" + t.accountA() + "/keys"),
      (r, t) -> FuzzRequest.of("controls", OK, "GET", t.linkA()).withHeader("Range", "bytes=0-" + r.nextInt(64)),
      (r, t) -> FuzzRequest.of("controls", OK, "GET", "/health/ready"),
      (r, t) -> FuzzRequest.of("controls", OK, "GET", "/health/live"),
      (r, t) -> FuzzRequest.of("controls", OK, "GET", "/portal/"));

  @Override
  public String name() {
    return "controls";
  }

  @Override
  public FuzzRequest next(Random random, Targets targets) {
    return Hostile.pick(random, REQUESTS).apply(random, targets);
  }

  private static FuzzRequest api(Targets targets, String path) {
    String method = path.endsWith("restore-plans") ? "POST" : "GET";
    return FuzzRequest.of("controls", OK, method, path).withKey(targets.keyA());
  }
}
