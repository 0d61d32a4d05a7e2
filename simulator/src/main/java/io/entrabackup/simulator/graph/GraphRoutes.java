package io.entrabackup.simulator.graph;

import io.entrabackup.simulator.Services;
import io.entrabackup.simulator.directory.DirectoryException;
import io.entrabackup.simulator.directory.Membership;
import io.entrabackup.simulator.directory.ObjectKind;
import io.entrabackup.simulator.directory.RoleCatalog;
import io.entrabackup.simulator.directory.Tenant;
import io.entrabackup.simulator.http.Json;
import io.entrabackup.simulator.http.Req;
import io.entrabackup.simulator.http.Resp;
import io.entrabackup.simulator.identity.AccessToken;
import io.entrabackup.simulator.identity.TokenService;
import io.entrabackup.simulator.throttle.Faults;
import io.entrabackup.simulator.throttle.Throttle;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Microsoft Graph v1.0 for users, groups, directory roles and role management: authentication, permission checks,
 * throttling and injected faults first, then the read or write. Errors use Graph's envelope with request ids.
 */
public final class GraphRoutes {
  /** Delta links older than this fail with syncStateNotFound. */
  public static final Duration DELTA_TOKEN_LIFETIME = Duration.ofDays(7);
  static final Set<String> DELTA_SEGMENTS = Set.of("delta", "delta()", "microsoft.graph.delta", "microsoft.graph.delta()");
  static final String CONTENT_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
  static final int LIST_PAGE = 100;
  private static final int MAX_PAGE = 999;

  private final Services services;
  private final GraphWrites writes;
  private final RoleManagementRoutes roleManagement;
  private final DeletedItemsRoutes deletedItems;
  private final DeltaRoutes deltaRoutes;
  private final GraphFaults faults;
  private final BatchRoutes batch = new BatchRoutes();

  public GraphRoutes(Services services) {
    this.services = services;
    this.writes = new GraphWrites(services);
    this.roleManagement = new RoleManagementRoutes(services, this);
    this.deletedItems = new DeletedItemsRoutes(this);
    this.deltaRoutes = new DeltaRoutes(services, this);
    this.faults = new GraphFaults(services);
  }

  /** What the throttle charged, for the request log. */
  public record Outcome(Resp resp, int resourceUnits, boolean fault) {}

  public Outcome handle(Req req) {
    if (req.segments().size() == 2 && req.segment(1).equals("$batch") && req.method().equals("POST")) {
      if (req.header("authorization") == null) {
        return single(req);
      }
      return batch.handle(req, sub -> sub.segments().size() >= 2 && sub.segment(1).equals("$batch")
          ? new Outcome(error(400, "BadRequest", "Batch requests cannot be nested.", "", ""), 0, false)
          : single(sub));
    }
    return single(req);
  }

  private Outcome single(Req req) {
    String requestId = UUID.randomUUID().toString();
    String clientRequestId = req.header("client-request-id") != null ? req.header("client-request-id") : requestId;
    int ru = 0;
    boolean fault = false;
    Resp resp;
    try {
      AccessToken token = authenticate(req);
      Tenant tenant = services.directory().find(token.tenantId());
      if (tenant == null) {
        throw GraphException.unauthenticated("Access token validation failure. Invalid audience.");
      }
      GraphContext ctx = new GraphContext(req, token, tenant, requestId, clientRequestId);
      ru = cost(req);
      Throttle.Decision decision = services.throttle().spend(token.appId(), tenant.id().toString(), tenant.liveUserCount(),
          ru, !req.method().equals("GET"));
      if (decision.rejection() != null) {
        resp = GraphFaults.throttled(decision.rejection(), requestId, clientRequestId);
        ru = 0;
      } else {
        Faults.Rule rule = services.faults().pick(req.path() + "?" + req.rawQuery());
        fault = rule != null;
        resp = rule == null ? route(ctx) : faults.apply(rule, ctx, this::route);
        if (decision.limitPercentageHeader() != null) {
          resp.header("x-ms-throttle-limit-percentage", decision.limitPercentageHeader());
        }
      }
    } catch (GraphException e) {
      resp = error(e.status(), e.code(), e.getMessage(), requestId, clientRequestId);
      e.headers().forEach(resp::header);
    } catch (DirectoryException e) {
      resp = error(e.status(), e.code(), e.getMessage(), requestId, clientRequestId);
    }
    resp.header("request-id", requestId).header("client-request-id", clientRequestId)
        .header("x-ms-ags-diagnostic", "{\"ServerInfo\":{\"DataCenter\":\"Simulator\",\"Slice\":\"E\",\"Ring\":\"1\"}}");
    if (ru > 0) {
      resp.header("x-ms-resource-unit", Integer.toString(ru));
    }
    return new Outcome(resp, ru, fault);
  }

  private AccessToken authenticate(Req req) {
    String auth = req.header("authorization");
    if (auth == null || auth.isBlank()) {
      throw GraphException.unauthenticated("Access token is empty.");
    }
    if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw GraphException.unauthenticated("Access token validation failure. Invalid audience.");
    }
    try {
      return services.tokens().verify(auth.substring(7).trim());
    } catch (TokenService.InvalidToken e) {
      String m = e.getMessage();
      throw GraphException.unauthenticated(m.contains("expired") ? "Lifetime validation failed, the token is expired."
          : "Access token validation failure. " + m);
    }
  }

  private static int cost(Req req) {
    List<String> s = req.segments();
    boolean usersList = s.size() == 2 && s.get(1).equals("users");
    boolean membersList = s.size() == 4 && (s.get(3).equals("members") || s.get(3).equals("owners"));
    boolean smallTop = false;
    try {
      smallTop = req.param("$top") != null && Integer.parseInt(req.param("$top")) < 20;
    } catch (NumberFormatException ignored) {
      // an invalid $top is refused later; it costs the base price
    }
    return Throttle.cost(req.method(), usersList, membersList, req.param("$select") != null, req.param("$expand") != null,
        smallTop);
  }

  // ---- routing --------------------------------------------------------------------------------------------------

  private Resp route(GraphContext ctx) {
    Tenant tenant = ctx.tenant();
    tenant.purgeExpired();
    Req req = ctx.req();
    List<String> s = req.segments().subList(1, req.segments().size());
    String m = req.method();
    if (s.isEmpty()) {
      throw GraphException.badRequest("Invalid request.");
    }
    String head = s.get(0);
    switch (head) {
      case "users", "groups", "directoryRoles" -> {
        return collectionRoute(ctx, Selection.Collection.of(head), s, m);
      }
      case "roleManagement" -> {
        return roleManagement.handle(ctx, s, m);
      }
      case "organization" -> {
        ctx.require(Permissions.READ_ORGANIZATION);
        Map<String, Object> org = tenant.organization();
        if (s.size() == 2) {
          if (!s.get(1).equalsIgnoreCase(tenant.id().toString())) {
            throw GraphException.notFound(s.get(1));
          }
          return ok(entity("organization", org));
        }
        return ok(list("organization", List.of(org), null));
      }
      case "directory" -> {
        return deletedItems.handle(ctx, s, m);
      }
      case "directoryObjects" -> {
        if (s.size() == 2 && m.equals("GET")) {
          ctx.require(Permissions.READ_ANY);
          long key = tenant.resolve(s.get(1));
          if (key < 0 || !tenant.isLive(Membership.kindOf(key), Membership.indexOf(key))) {
            throw GraphException.notFound(s.get(1));
          }
          Map<String, Object> obj = new LinkedHashMap<>();
          obj.put("@odata.type", Membership.kindOf(key).odataType());
          obj.putAll(tenant.properties(Membership.kindOf(key), Membership.indexOf(key)));
          return ok(entity("directoryObjects", obj));
        }
        throw GraphException.badRequest("Unsupported request.");
      }
      default -> throw GraphException.segmentNotFound(head);
    }
  }

  private Resp collectionRoute(GraphContext ctx, Selection.Collection c, List<String> s, String m) {
    Set<String> read = c == Selection.Collection.USERS ? Permissions.READ_USERS
        : c == Selection.Collection.GROUPS ? Permissions.READ_GROUPS : Permissions.READ_ROLES;
    if (s.size() == 1) {
      if (m.equals("GET")) {
        ctx.require(read);
        return list(ctx, c);
      }
      if (m.equals("POST") && c != Selection.Collection.DIRECTORY_ROLES) {
        return writes.create(ctx, c);
      }
    } else if (DELTA_SEGMENTS.contains(s.get(1))) {
      if (m.equals("GET") && s.size() == 2) {
        ctx.require(read);
        return deltaRoutes.handle(ctx, c);
      }
    } else if (s.size() == 2) {
      switch (m) {
        case "GET" -> {
          ctx.require(read);
          return get(ctx, c, s.get(1));
        }
        case "PATCH" -> {
          return writes.update(ctx, c, s.get(1));
        }
        case "DELETE" -> {
          return writes.delete(ctx, c, s.get(1));
        }
        default -> { }
      }
    } else if (c == Selection.Collection.USERS && s.size() >= 3 && s.get(2).equals("manager")) {
      return ManagerRoutes.handle(ctx, s, m, this);
    } else if (s.size() == 3 && m.equals("GET") && (s.get(2).equals("members") || s.get(2).equals("owners"))) {
      ctx.require(read);
      return relationList(ctx, c, s.get(1), s.get(2));
    } else if (s.size() >= 4 && c == Selection.Collection.GROUPS && (s.get(2).equals("members") || s.get(2).equals("owners"))
        && s.get(s.size() - 1).equals("$ref")) {
      return GroupRelationWrites.relation(ctx, s.get(1), s.get(2), s.size() == 5 ? s.get(3) : null);
    } else if (s.size() >= 4 && c == Selection.Collection.DIRECTORY_ROLES && s.get(2).equals("members")
        && s.get(s.size() - 1).equals("$ref")) {
      return roleManagement.roleMember(ctx, s.get(1), s.size() == 5 ? s.get(3) : null);
    }
    throw GraphException.methodNotAllowed();
  }

  // ---- reads ----------------------------------------------------------------------------------------------------

  private Resp list(GraphContext ctx, Selection.Collection c) {
    Req req = ctx.req();
    PageToken tok;
    Selection sel;
    if (req.param("$skiptoken") != null) {
      tok = decode(ctx, c, req.param("$skiptoken"), 'L');
      sel = Selection.parse(c, tok.select(), false);
    } else {
      sel = Selection.parse(c, req.param("$select"), false);
      int top = req.param("$top") == null ? pageSizeFromPrefer(req, LIST_PAGE) : parseTop(req.param("$top"));
      tok = new PageToken(c.path(), ctx.tenant().number(), 'L', 0, 0, 0, 0, 0, now(), top, sel.raw(), "");
    }
    ObjectSource src = ObjectSource.of(ctx.tenant(), c);
    List<Map<String, Object>> items = new ArrayList<>();
    int pos = tok.pos();
    synchronized (ctx.tenant()) {
      int size = src.size();
      while (pos < size && items.size() < tok.pageSize()) {
        if (src.live(pos)) {
          items.add(DeltaEngine.project(src.properties(pos), sel));
        }
        pos++;
      }
      String next = pos < size ? services.graphBaseUrl() + "/" + c.path() + "?$skiptoken=" + tok.next(pos, 0, 0, now()).encode(services.linkKey(), services.epoch()) : null;
      return ok(list(c.path(), items, next));
    }
  }

  private Resp get(GraphContext ctx, Selection.Collection c, String id) {
    Selection sel = Selection.parse(c, ctx.req().param("$select"), false);
    ObjectSource src = ObjectSource.of(ctx.tenant(), c);
    int index = resolveIndex(ctx.tenant(), c, id);
    if (index < 0 || !src.live(index)) {
      throw GraphException.notFound(id);
    }
    return ok(entity(c.path(), DeltaEngine.project(src.properties(index), sel)));
  }

  static int resolveIndex(Tenant tenant, Selection.Collection c, String id) {
    switch (c) {
      case USERS -> {
        return tenant.findUser(id);
      }
      case GROUPS -> {
        long key = tenant.resolve(id);
        return key >= 0 && Membership.kindOf(key) == ObjectKind.GROUP ? Membership.indexOf(key) : -1;
      }
      default -> {
        List<RoleCatalog.DirectoryRole> roles = tenant.roles().directoryRoles();
        for (RoleCatalog.DirectoryRole r : roles) {
          if (r.id().equalsIgnoreCase(id) || ("roleTemplateId=" + r.roleTemplateId()).equalsIgnoreCase(id)) {
            return r.index();
          }
        }
        return -1;
      }
    }
  }

  private Resp relationList(GraphContext ctx, Selection.Collection c, String id, String relation) {
    Tenant tenant = ctx.tenant();
    int index = resolveIndex(tenant, c, id);
    ObjectSource src = ObjectSource.of(tenant, c);
    if (index < 0 || !src.live(index)) {
      throw GraphException.notFound(id);
    }
    ObjectSource.Relation rel = src.relation(index, relation);
    if (rel == null) {
      throw GraphException.badRequest("Unsupported relation '" + relation + "'.");
    }
    Req req = ctx.req();
    int pos = 0;
    int top = req.param("$top") == null ? pageSizeFromPrefer(req, LIST_PAGE) : parseTop(req.param("$top"));
    String scope = c.path() + "/" + id + "/" + relation;
    if (req.param("$skiptoken") != null) {
      PageToken tok = decode(ctx, c, req.param("$skiptoken"), 'L');
      if (!scope.equals(tok.scope())) {
        throw GraphException.badRequest("Invalid skip token.");
      }
      pos = tok.pos();
      top = tok.pageSize();
    }
    List<Map<String, Object>> items = new ArrayList<>();
    synchronized (tenant) {
      int n = rel.positions();
      while (pos < n && items.size() < top) {
        long key = rel.at(pos++);
        if (key < 0 || !tenant.isLive(Membership.kindOf(key), Membership.indexOf(key))) {
          continue;
        }
        ObjectKind kind = Membership.kindOf(key);
        Selection.Collection mc = kind == ObjectKind.USER ? Selection.Collection.USERS : Selection.Collection.GROUPS;
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("@odata.type", kind.odataType());
        obj.putAll(DeltaEngine.project(tenant.properties(kind, Membership.indexOf(key)), Selection.parse(mc, null, false)));
        items.add(obj);
      }
      String next = null;
      if (pos < n) {
        PageToken tok = new PageToken(c.path(), tenant.number(), 'L', 0, 0, pos, 0, 0, now(), top, "", scope);
        next = services.graphBaseUrl() + "/" + scope + "?$skiptoken=" + tok.encode(services.linkKey(), services.epoch());
      }
      return ok(list("directoryObjects", items, next));
    }
  }

  PageToken decode(GraphContext ctx, Selection.Collection c, String text, char expectedMode) {
    PageToken tok = PageToken.decode(text, services.linkKey());
    if (tok == null || !tok.collection().equals(c.path()) || tok.tenant() != ctx.tenant().number()
        || (expectedMode != '?' && tok.mode() != expectedMode)) {
      throw GraphException.badRequest("Invalid " + (expectedMode == 'I' ? "delta" : "skip") + " token.");
    }
    if (tok.epoch() != services.epoch()) {
      // Issued before the simulator restarted: like a service-side reset, the client must start over.
      throw GraphException.syncStateNotFound();
    }
    if (tok.mode() != 'L' && now() - tok.issuedAt() > DELTA_TOKEN_LIFETIME.getSeconds()) {
      throw GraphException.syncStateNotFound();
    }
    return tok;
  }

  // ---- helpers --------------------------------------------------------------------------------------------------

  long now() {
    return services.clock().nowEpochSecond();
  }

  static int parseTop(String top) {
    try {
      int t = Integer.parseInt(top);
      if (t < 1 || t > MAX_PAGE) {
        throw GraphException.badRequest("Invalid page size specified: '" + top + "'. Must be between 1 and 999 inclusive.");
      }
      return t;
    } catch (NumberFormatException e) {
      throw GraphException.badRequest("Invalid value '" + top + "' for $top.");
    }
  }

  static int pageSizeFromPrefer(Req req, int fallback) {
    String prefer = req.header("prefer");
    if (prefer != null) {
      for (String part : prefer.split(",")) {
        String p = part.trim();
        if (p.startsWith("odata.maxpagesize=")) {
          try {
            return Math.max(1, Math.min(MAX_PAGE, Integer.parseInt(p.substring("odata.maxpagesize=".length()).trim())));
          } catch (NumberFormatException ignored) {
            return fallback;
          }
        }
      }
    }
    return fallback;
  }

  Map<String, Object> list(String contextPath, List<Map<String, Object>> items, String next) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("@odata.context", services.graphBaseUrl() + "/$metadata#" + contextPath);
    if (next != null) {
      body.put("@odata.nextLink", next);
    }
    body.put("value", items);
    return body;
  }

  Map<String, Object> entity(String contextPath, Map<String, Object> obj) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("@odata.context", services.graphBaseUrl() + "/$metadata#" + contextPath + "/$entity");
    body.putAll(obj);
    return body;
  }

  static Resp ok(Map<String, Object> body) {
    return Resp.of(200, CONTENT_TYPE, Json.bytes(body));
  }

  static Resp created(Map<String, Object> body) {
    return Resp.of(201, CONTENT_TYPE, Json.bytes(body));
  }

  static String date() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", "");
  }

  /** Graph's error envelope. */
  public static Resp error(int status, String code, String message, String requestId, String clientRequestId) {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("date", date());
    inner.put("request-id", requestId);
    inner.put("client-request-id", clientRequestId);
    Map<String, Object> err = new LinkedHashMap<>();
    err.put("code", code);
    err.put("message", message);
    err.put("innerError", inner);
    return Resp.of(status, CONTENT_TYPE, Json.bytes(Map.of("error", err)));
  }
}
