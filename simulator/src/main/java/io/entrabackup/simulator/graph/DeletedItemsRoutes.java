package io.entrabackup.simulator.graph;

import io.entrabackup.simulator.directory.Membership;
import io.entrabackup.simulator.directory.ObjectKind;
import io.entrabackup.simulator.directory.Tenant;
import io.entrabackup.simulator.http.Resp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recycle bin: {@code /directory/deletedItems/microsoft.graph.user|group} lists soft-deleted users and Microsoft 365
 * groups; {@code /directory/deletedItems/{id}} reads or purges one; {@code .../restore} brings it back.
 */
final class DeletedItemsRoutes {
  private final GraphRoutes routes;

  DeletedItemsRoutes(GraphRoutes routes) {
    this.routes = routes;
  }

  Resp handle(GraphContext ctx, List<String> s, String m) {
    if (s.size() < 2 || !s.get(1).equals("deletedItems")) {
      throw GraphException.segmentNotFound(String.join("/", s));
    }
    Tenant tenant = ctx.tenant();
    if (s.size() == 3 && m.equals("GET") && s.get(2).startsWith("microsoft.graph.")) {
      ObjectKind kind = s.get(2).equals("microsoft.graph.user") ? ObjectKind.USER
          : s.get(2).equals("microsoft.graph.group") ? ObjectKind.GROUP : null;
      if (kind == null) {
        throw GraphException.badRequest("Unsupported type '" + s.get(2) + "' for deleted items.");
      }
      ctx.require(kind == ObjectKind.USER ? Permissions.READ_USERS : Permissions.READ_GROUPS);
      List<Map<String, Object>> items = new ArrayList<>();
      synchronized (tenant) {
        tenant.softDeleted(kind).keySet().forEach(i -> items.add(tenant.properties(kind, i)));
      }
      return GraphRoutes.ok(routes.list(kind == ObjectKind.USER ? "users" : "groups", items, null));
    }
    if (s.size() < 3) {
      throw GraphException.badRequest("Specify a type cast: /directory/deletedItems/microsoft.graph.user or .group.");
    }
    String id = s.get(2);
    synchronized (tenant) {
      long key = tenant.resolve(id);
      ObjectKind kind = key < 0 ? null : Membership.kindOf(key);
      int index = Membership.indexOf(key);
      if (kind == null || !tenant.isSoftDeleted(kind, index)) {
        throw GraphException.notFound(id);
      }
      boolean user = kind == ObjectKind.USER;
      if (s.size() == 3 && m.equals("GET")) {
        ctx.require(user ? Permissions.READ_USERS : Permissions.READ_GROUPS);
        return directoryObject(tenant, kind, index);
      }
      if (s.size() == 3 && m.equals("DELETE")) {
        ctx.require(user ? Permissions.WRITE_USERS : Permissions.WRITE_GROUPS);
        tenant.hardDelete(kind, index);
        return Resp.empty(204);
      }
      if (s.size() == 4 && s.get(3).equals("restore") && m.equals("POST")) {
        ctx.require(user ? Permissions.WRITE_USERS : Permissions.WRITE_GROUPS);
        if (user) {
          int other = tenant.userByUpn(String.valueOf(tenant.property(kind, index, "userPrincipalName")));
          if (other >= 0 && other != index && tenant.isLive(ObjectKind.USER, other)) {
            throw GraphException.badRequest("Another object with the same value for property userPrincipalName already exists.");
          }
        }
        tenant.restore(kind, index);
        return directoryObject(tenant, kind, index);
      }
    }
    throw GraphException.methodNotAllowed();
  }

  /** A deleted item answers as a directoryObject, so it names its own type. */
  private Resp directoryObject(Tenant tenant, ObjectKind kind, int index) {
    Map<String, Object> obj = new LinkedHashMap<>();
    obj.put("@odata.type", kind.odataType());
    obj.putAll(tenant.properties(kind, index));
    return GraphRoutes.ok(routes.entity("directoryObjects", obj));
  }
}
