package io.entrabackup.simulator.graph;

import io.entrabackup.simulator.directory.Membership;
import io.entrabackup.simulator.directory.ObjectKind;
import io.entrabackup.simulator.directory.Tenant;
import io.entrabackup.simulator.directory.UserSchema;
import io.entrabackup.simulator.http.Resp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's manager: {@code GET /users/{id}/manager}, {@code PUT /users/{id}/manager/$ref} with
 * {@code {"@odata.id": ".../users/{managerId}"}}, {@code DELETE /users/{id}/manager/$ref}. Synced users' managers are
 * mastered on premises and refuse cloud writes. Changes show as {@code manager@delta} when delta selects manager.
 */
final class ManagerRoutes {
  private ManagerRoutes() {}

  static Resp handle(GraphContext ctx, List<String> s, String m, GraphRoutes routes) {
    Tenant tenant = ctx.tenant();
    synchronized (tenant) {
      int user = tenant.findUser(s.get(1));
      if (user < 0 || !tenant.isLive(ObjectKind.USER, user)) {
        throw GraphException.notFound(s.get(1));
      }
      if (s.size() == 3 && m.equals("GET")) {
        ctx.require(Permissions.READ_USERS);
        long manager = tenant.manager(user);
        if (manager < 0 || !tenant.isLive(ObjectKind.USER, Membership.indexOf(manager))) {
          throw GraphException.notFound("manager");
        }
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("@odata.type", ObjectKind.USER.odataType());
        obj.putAll(DeltaEngine.project(tenant.properties(ObjectKind.USER, Membership.indexOf(manager)),
            Selection.parse(Selection.Collection.USERS, ctx.req().param("$select"), false)));
        return GraphRoutes.ok(routes.entity("directoryObjects", obj));
      }
      if (s.size() == 4 && s.get(3).equals("$ref") && (m.equals("PUT") || m.equals("DELETE"))) {
        ctx.require(Permissions.WRITE_USERS);
        if (tenant.isSynced(ObjectKind.USER, user) && UserSchema.SYNC_MASTERED.contains("manager")) {
          throw GraphException.badRequest(GraphWrites.SYNCED_REFUSAL);
        }
        if (m.equals("DELETE")) {
          if (!tenant.setManager(user, -1)) {
            throw GraphException.notFound("manager");
          }
          return Resp.empty(204);
        }
        String ref = GraphWrites.body(ctx).path("@odata.id").asText("");
        String id = ref.substring(ref.lastIndexOf('/') + 1);
        long manager = tenant.resolve(id);
        if (manager < 0 || Membership.kindOf(manager) != ObjectKind.USER
            || !tenant.isLive(ObjectKind.USER, Membership.indexOf(manager))) {
          throw GraphException.notFound(id);
        }
        if (Membership.indexOf(manager) == user) {
          throw GraphException.badRequest("A user cannot be their own manager.");
        }
        tenant.setManager(user, manager);
        return Resp.empty(204);
      }
    }
    throw GraphException.methodNotAllowed();
  }
}
