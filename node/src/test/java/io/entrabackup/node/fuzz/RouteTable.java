package io.entrabackup.node.fuzz;

import java.util.List;
import java.util.Random;

/**
 * Every route a node serves, as templates whose {@code {placeholders}} name an id ({@link Targets#fill}); the fuzz
 * categories pick from here so that each reaches every route.
 */
public final class RouteTable {

  /** A route: its method, its path template, and a harmless body of its shape (null when it takes none). */
  public record Route(String method, String template, String body) {

    public boolean has(String placeholder) {
      return template.contains("{" + placeholder + "}");
    }
  }

  private static final String OBJECT = "/api/v1/tenants/{tenant}/objects/{type}/{object}";

  /**
   * The API routes behind a key. The bodies are valid in shape but harmless: a restore names B's version (never
   * found here), a download asks for a type whose build is small, a key and a tenant are only created by controls.
   */
  public static final List<Route> API = List.of(
      new Route("GET", "/api/v1/session", null),
      new Route("GET", "/api/v1/tenants", null),
      new Route("POST", "/api/v1/tenants", "{\"displayName\":[]}"),
      new Route("GET", "/api/v1/tenants/{tenant}", null),
      new Route("POST", "/api/v1/tenants/{tenant}/activation", "{\"immediateBackup\":\"yes\"}"),
      new Route("POST", "/api/v1/tenants/{tenant}/authorization-check", null),
      new Route("POST", "/api/v1/tenants/{tenant}/backups", null),
      new Route("POST", "/api/v1/tenants/{tenant}/downloads", "{\"scope\":\"everything\"}"),
      new Route("GET", "/api/v1/tenants/{tenant}/objects", null),
      new Route("GET", "/api/v1/tenants/{tenant}/objects/{type}", null),
      new Route("GET", OBJECT + "/versions", null),
      new Route("GET", OBJECT + "/versions/{version}", null),
      new Route("GET", OBJECT + "/diff?from={version}&to={version}", null),
      new Route("POST", OBJECT + "/restore-plans", "{\"version\":[]}"),
      new Route("POST", OBJECT + "/restores", "{\"version\":{}}"),
      new Route("GET", "/api/v1/jobs", null),
      new Route("GET", "/api/v1/jobs/{job}", null),
      new Route("GET", "/api/v1/jobs/{job}/skipped-items", null),
      new Route("POST", "/api/v1/accounts", "{\"id\":[],\"displayName\":\"x\"}"),
      new Route("GET", "/api/v1/accounts/{account}/keys", null),
      new Route("POST", "/api/v1/accounts/{account}/keys", "{\"name\":[]}"),
      new Route("DELETE", "/api/v1/accounts/{account}/keys/{key}", null),
      new Route("POST", "/api/v1/accounts/{account}/keys/{key}/rotate", null),
      new Route("GET", "/api/v1/accounts/{account}/settings", null),
      new Route("PUT", "/api/v1/accounts/{account}/settings", "{\"fourEyes\":{\"approvalWindow\":[]}}"),
      new Route("POST", "/api/v1/jobs/{job}/approve", null),
      new Route("POST", "/api/v1/jobs/{job}/reject", null),
      new Route("GET", "/api/v1/audit", null),
      new Route("GET", "/api/v1/audit/verification", null),
      new Route("POST", "/api/v1/tenants/{tenant}/deletion/cancel", null),
      new Route("GET", "/api/v1/tenants/{tenant}/history/verification", null),
      new Route("GET", OBJECT + "/compare?from={version}&to={version}", null),
      new Route("GET", "/api/v1/tenants/{tenant}/retention", null),
      new Route("PUT", "/api/v1/tenants/{tenant}/retention", "{\"keepDays\":[]}"),
      new Route("POST", "/api/v1/tenants/{tenant}/retention/runs", null),
      new Route("GET", "/api/v1/accounts/{account}/retention", null),
      new Route("PUT", "/api/v1/accounts/{account}/retention", "{\"keepDays\":[]}"));

  /**
   * Served on the paths above, but never sent by the fuzz: each would schedule the deletion of the very tenant or
   * account the other requests aim at (offboarding). Listed so that no category takes them for wrong methods.
   */
  public static final List<Route> NOT_SENT = List.of(
      new Route("DELETE", "/api/v1/tenants/{tenant}", null),
      new Route("DELETE", "/api/v1/accounts/{account}", null));

  /** Routes without a key: health, the API's description, the consent callback and its page, the portal, download content. */
  public static final List<Route> OPEN = List.of(
      new Route("GET", "/health/live", null),
      new Route("GET", "/health/ready", null),
      new Route("GET", "/api/v1/openapi.json", null),
      new Route("GET", "/auth/callback?state=x&tenant=y&admin_consent=True", null),
      new Route("GET", "/portal/tenants/{tenant}?consent=authorized", null),
      new Route("GET", "/portal/", null),
      new Route("GET", "/portal/assets/app.js", null),
      new Route("GET", "/", null),
      new Route("GET", "/api/v1/downloads/{download}/content?expires=1&signature=x", null));

  private RouteTable() {}

  public static Route anyApi(Random random) {
    return API.get(random.nextInt(API.size()));
  }

  public static Route any(Random random) {
    int i = random.nextInt(API.size() + OPEN.size());
    return i < API.size() ? API.get(i) : OPEN.get(i - API.size());
  }

  /** A route taking the placeholder, at random. */
  public static Route withPlaceholder(Random random, String placeholder) {
    List<Route> taking = API.stream().filter(route -> route.has(placeholder)).toList();
    return taking.get(random.nextInt(taking.size()));
  }
}
