package io.entrabackup.simulator.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.simulator.Services;
import io.entrabackup.simulator.directory.Membership;
import io.entrabackup.simulator.directory.ObjectKind;
import io.entrabackup.simulator.directory.RoleCatalog;
import io.entrabackup.simulator.directory.Tenant;
import io.entrabackup.simulator.http.Json;
import io.entrabackup.simulator.http.Resp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /roleManagement/directory/roleDefinitions} and {@code /roleAssignments}: paged lists (no delta), GET by id,
 * {@code $filter} with {@code eq}, and role assignment create and delete.
 */
final class RoleManagementRoutes {
  private final Services services;
  private final GraphRoutes routes;

  RoleManagementRoutes(Services services, GraphRoutes routes) {
    this.services = services;
    this.routes = routes;
  }

  Resp handle(GraphContext ctx, List<String> s, String m) {
    if (s.size() < 3 || !s.get(1).equals("directory")) {
      throw GraphException.segmentNotFound(String.join("/", s));
    }
    Tenant tenant = ctx.tenant();
    String what = s.get(2);
    if (what.equals("roleAssignments") && !m.equals("GET")) {
      return write(ctx, s, m);
    }
    ctx.require(Permissions.READ_ROLES);
    List<Map<String, Object>> all = new ArrayList<>();
    synchronized (tenant) {
      if (what.equals("roleDefinitions")) {
        tenant.roles().definitions().forEach(d -> all.add(roleDefinition(d)));
      } else if (what.equals("roleAssignments")) {
        tenant.roles().assignments().forEach(a -> all.add(roleAssignment(tenant, a)));
      } else {
        throw GraphException.segmentNotFound(what);
      }
    }
    String path = "roleManagement/directory/" + what;
    if (s.size() == 4) {
      return all.stream().filter(o -> s.get(3).equalsIgnoreCase((String) o.get("id"))).findFirst()
          .map(o -> GraphRoutes.ok(routes.entity(path, o))).orElseThrow(() -> GraphException.notFound(s.get(3)));
    }
    String filter = ctx.req().param("$filter");
    if (filter != null) {
      all.removeIf(o -> !RoleFilter.matches(filter, o));
    }
    int pos = 0;
    int top = ctx.req().param("$top") == null ? GraphRoutes.pageSizeFromPrefer(ctx.req(), GraphRoutes.LIST_PAGE) : GraphRoutes.parseTop(ctx.req().param("$top"));
    if (ctx.req().param("$skiptoken") != null) {
      PageToken tok = PageToken.decode(ctx.req().param("$skiptoken"), services.linkKey());
      if (tok == null || !path.equals(tok.scope()) || tok.epoch() != services.epoch()) {
        throw GraphException.badRequest("Invalid skip token.");
      }
      pos = tok.pos();
      top = tok.pageSize();
    }
    int end = Math.min(all.size(), pos + top);
    String next = null;
    if (end < all.size()) {
      PageToken tok = new PageToken(what, tenant.number(), 'L', 0, 0, end, 0, 0, routes.now(), top,
          filter == null ? "" : filter.replace("~", ""), path);
      next = services.graphBaseUrl() + "/" + path + "?$skiptoken=" + tok.encode(services.linkKey(), services.epoch())
          + (filter == null ? "" : "&$filter=" + java.net.URLEncoder.encode(filter, StandardCharsets.UTF_8));
    }
    return GraphRoutes.ok(routes.list(path, new ArrayList<>(all.subList(Math.min(pos, all.size()), end)), next));
  }

  static Map<String, Object> roleDefinition(RoleCatalog.RoleDefinition d) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("id", d.id());
    o.put("description", d.description());
    o.put("displayName", d.displayName());
    o.put("isBuiltIn", d.builtIn());
    o.put("isEnabled", true);
    o.put("resourceScopes", List.of("/"));
    o.put("templateId", d.id());
    o.put("version", d.builtIn() ? "1" : null);
    o.put("rolePermissions", List.of(Json.map("allowedResourceActions", d.actions(), "condition", null)));
    return o;
  }

  static Map<String, Object> roleAssignment(Tenant tenant, RoleCatalog.RoleAssignment a) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("id", a.id());
    o.put("principalId", tenant.objectId(a.principal()));
    o.put("resourceScope", a.directoryScopeId());
    o.put("directoryScopeId", a.directoryScopeId());
    o.put("roleDefinitionId", a.roleDefinitionId());
    return o;
  }

  private Resp write(GraphContext ctx, List<String> s, String m) {
    ctx.require(Permissions.WRITE_ROLES);
    Tenant tenant = ctx.tenant();
    synchronized (tenant) {
      if (m.equals("POST") && s.size() == 3) {
        ObjectNode body = GraphWrites.body(ctx);
        String roleDefinitionId = body.path("roleDefinitionId").asText(null);
        String principalId = body.path("principalId").asText(null);
        String scope = body.path("directoryScopeId").asText(null);
        if (roleDefinitionId == null || principalId == null || scope == null) {
          throw GraphException.badRequest("roleDefinitionId, principalId and directoryScopeId are required.");
        }
        RoleCatalog.RoleDefinition d = tenant.roles().definition(roleDefinitionId);
        if (d == null) {
          throw GraphException.notFound(roleDefinitionId);
        }
        long principal = tenant.resolve(principalId);
        if (principal < 0 || !tenant.isLive(Membership.kindOf(principal), Membership.indexOf(principal))) {
          throw GraphException.notFound(principalId);
        }
        if (Membership.kindOf(principal) == ObjectKind.GROUP
            && !Boolean.TRUE.equals(tenant.property(ObjectKind.GROUP, Membership.indexOf(principal), "isAssignableToRole"))) {
          throw GraphException.badRequest("Only groups with isAssignableToRole set to true can be assigned to directory roles.");
        }
        if (!scope.equals("/") && !(scope.startsWith("/administrativeUnits/")
            && tenant.roles().administrativeUnits().contains(scope.substring("/administrativeUnits/".length())))) {
          throw GraphException.badRequest("Invalid value specified for property 'directoryScopeId': '" + scope + "'.");
        }
        boolean exists = tenant.roles().assignments().stream().anyMatch(a -> a.roleDefinitionId().equalsIgnoreCase(d.id())
            && a.principal() == principal && a.directoryScopeId().equals(scope));
        if (exists) {
          throw new GraphException(409, "Request_BadRequest",
              "A conflicting object with one or more of the specified property values is present in the directory.");
        }
        RoleCatalog.RoleAssignment a = tenant.addAssignment(d.id(), principal, scope);
        return GraphRoutes.created(routes.entity("roleManagement/directory/roleAssignments", roleAssignment(tenant, a)));
      }
      if (m.equals("DELETE") && s.size() == 4) {
        if (tenant.removeAssignment(s.get(3)) == null) {
          throw GraphException.notFound(s.get(3));
        }
        return Resp.empty(204);
      }
    }
    throw GraphException.methodNotAllowed();
  }

  /**
   * The legacy way to change a directory role's members: {@code POST /directoryRoles/{id}/members/$ref} and
   * {@code DELETE /directoryRoles/{id}/members/{memberId}/$ref}; each is a tenant-wide role assignment underneath.
   */
  Resp roleMember(GraphContext ctx, String roleId, String memberId) {
    ctx.require(Permissions.WRITE_ROLES);
    Tenant tenant = ctx.tenant();
    synchronized (tenant) {
      int index = GraphRoutes.resolveIndex(tenant, Selection.Collection.DIRECTORY_ROLES, roleId);
      if (index < 0) {
        throw GraphException.notFound(roleId);
      }
      RoleCatalog.DirectoryRole role = tenant.roles().directoryRoles().get(index);
      String m = ctx.req().method();
      if (m.equals("POST") && memberId == null) {
        String ref = GraphWrites.body(ctx).path("@odata.id").asText("");
        String id = ref.substring(ref.lastIndexOf('/') + 1);
        long principal = tenant.resolve(id);
        if (principal < 0 || !tenant.isLive(Membership.kindOf(principal), Membership.indexOf(principal))) {
          throw GraphException.notFound(id);
        }
        if (tenant.roles().roleMembers(role).contains(principal)) {
          throw GraphException.badRequest("One or more added object references already exist for the following modified"
              + " properties: 'members'.");
        }
        tenant.addAssignment(role.roleTemplateId(), principal, "/");
        return Resp.empty(204);
      }
      if (m.equals("DELETE") && memberId != null) {
        long principal = tenant.resolve(memberId);
        RoleCatalog.RoleAssignment a = tenant.roles().assignments().stream()
            .filter(x -> x.principal() == principal && x.directoryScopeId().equals("/")
                && x.roleDefinitionId().equalsIgnoreCase(role.roleTemplateId()))
            .findFirst().orElseThrow(() -> GraphException.notFound(memberId));
        tenant.removeAssignment(a.id());
        return Resp.empty(204);
      }
    }
    throw GraphException.methodNotAllowed();
  }
}
