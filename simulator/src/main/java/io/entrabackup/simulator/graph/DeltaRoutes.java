package io.entrabackup.simulator.graph;

import io.entrabackup.simulator.Services;
import io.entrabackup.simulator.directory.Tenant;
import io.entrabackup.simulator.http.Req;
import io.entrabackup.simulator.http.Resp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /users|groups|directoryRoles/delta}: starts a full round, continues one from a skip token, starts an
 * incremental round from a delta link (or answers {@code $deltatoken=latest} with a link only), and writes the
 * page with exactly one of nextLink and deltaLink.
 */
final class DeltaRoutes {
  private static final int USERS_DELTA_PAGE = 200;
  private static final int GROUPS_DELTA_PAGE = 100;
  private static final int DELTA_LINKS_PER_PAGE = 500;
  private static final int MAX_FILTERED_IDS = 50;
  private static final java.util.regex.Pattern ID_EQ = java.util.regex.Pattern.compile("(?i)id\\s+eq\\s+'([0-9a-fA-F-]{36})'");

  private final Services services;
  private final GraphRoutes routes;
  private final DeltaEngine engine = new DeltaEngine();

  DeltaRoutes(Services services, GraphRoutes routes) {
    this.services = services;
    this.routes = routes;
  }

  Resp handle(GraphContext ctx, Selection.Collection c) {
    Req req = ctx.req();
    Tenant tenant = ctx.tenant();
    String deltaToken = req.param("$deltatoken");
    String skipToken = req.param("$skiptoken");
    PageToken tok;
    if ("latest".equalsIgnoreCase(deltaToken)) {
      Selection sel = Selection.parse(c, req.param("$select"), true);
      long seq = tenant.seq();
      tok = new PageToken(c.path(), tenant.number(), 'I', seq, seq, 0, 0, 0, routes.now(), 0, sel.raw(), idFilter(req));
      return GraphRoutes.ok(deltaBody(c, List.of(), null, tok));
    }
    if (deltaToken != null) {
      PageToken link = routes.decode(ctx, c, deltaToken, 'I');
      tok = new PageToken(c.path(), tenant.number(), 'I', link.fromSeq(), tenant.seq(), 0, 0, 0, link.issuedAt(),
          link.pageSize(), link.select(), link.scope());
    } else if (skipToken != null) {
      tok = routes.decode(ctx, c, skipToken, '?');
    } else {
      Selection sel = Selection.parse(c, req.param("$select"), true);
      tok = new PageToken(c.path(), tenant.number(), 'F', 0, tenant.seq(), 0, 0, 0, routes.now(), 0, sel.raw(), idFilter(req));
    }
    Selection sel = Selection.parse(c, tok.select(), true);
    int defaultPage = c == Selection.Collection.USERS ? USERS_DELTA_PAGE : GROUPS_DELTA_PAGE;
    int pageSize = GraphRoutes.pageSizeFromPrefer(req, tok.pageSize() > 0 ? tok.pageSize() : defaultPage);
    if (req.header("prefer") != null && req.header("prefer").contains("odata.maxpagesize")) {
      tok = new PageToken(tok.collection(), tok.tenant(), tok.mode(), tok.fromSeq(), tok.toSeq(), tok.pos(), tok.phase(),
          tok.offset(), tok.issuedAt(), pageSize, tok.select(), tok.scope());
    }
    boolean minimal = req.header("prefer") != null && req.header("prefer").contains("return=minimal");
    DeltaEngine.Page page = engine.page(tenant, c, sel, tok, pageSize, DELTA_LINKS_PER_PAGE, routes.now(), services.quirks(),
        minimal);
    Resp r = GraphRoutes.ok(deltaBody(c, page.items(), page.next(), page.delta()));
    List<String> applied = new java.util.ArrayList<>();
    if (tok.pageSize() > 0) {
      applied.add("odata.maxpagesize=" + pageSize);
    }
    if (minimal) {
      applied.add("return=minimal");
    }
    if (!applied.isEmpty()) {
      r.header("Preference-Applied", String.join(", ", applied));
    }
    return r;
  }

  private Map<String, Object> deltaBody(Selection.Collection c, List<Map<String, Object>> items, PageToken next, PageToken deltaTok) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("@odata.context", services.graphBaseUrl() + "/$metadata#" + c.path());
    String base = services.graphBaseUrl() + "/" + c.path() + "/delta?";
    if (next != null) {
      body.put("@odata.nextLink", base + "$skiptoken=" + next.encode(services.linkKey(), services.epoch()));
    } else {
      body.put("@odata.deltaLink", base + "$deltatoken=" + deltaTok.encode(services.linkKey(), services.epoch()));
    }
    body.put("value", items);
    return body;
  }

  /**
   * Delta's only $filter: {@code id eq '...'} joined by {@code or}, at most 50 ids. Returns them comma-separated (the
   * token carries them), or "" without a filter.
   */
  private static String idFilter(Req req) {
    String filter = req.param("$filter");
    if (filter == null || filter.isBlank()) {
      return "";
    }
    List<String> ids = new java.util.ArrayList<>();
    for (String clause : filter.trim().split("(?i)\\s+or\\s+")) {
      java.util.regex.Matcher m = ID_EQ.matcher(clause.trim());
      if (!m.matches()) {
        throw GraphException.badRequest("Unsupported filter on delta: only id eq '{id}' [or id eq '{id}' ...] is supported.");
      }
      ids.add(m.group(1));
    }
    if (ids.size() > MAX_FILTERED_IDS) {
      throw GraphException.badRequest("Too many ids in the filter: at most " + MAX_FILTERED_IDS + " objects can be tracked.");
    }
    return String.join(",", ids);
  }
}
