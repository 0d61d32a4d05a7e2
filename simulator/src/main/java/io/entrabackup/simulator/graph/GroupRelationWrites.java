package io.entrabackup.simulator.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.simulator.directory.GroupKind;
import io.entrabackup.simulator.directory.Membership;
import io.entrabackup.simulator.directory.ObjectKind;
import io.entrabackup.simulator.directory.Tenant;
import io.entrabackup.simulator.http.Resp;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Group members and owners by reference ({@code POST .../members/$ref}, {@code DELETE .../members/{id}/$ref}) and the
 * refusals Entra gives: dynamic groups (members), mail-enabled security groups and distribution lists, synced groups.
 */
final class GroupRelationWrites {
  private GroupRelationWrites() {}

  static Resp relation(GraphContext ctx, String groupId, String relation, String memberId) {
    String m = ctx.req().method();
    ctx.require(Permissions.WRITE_MEMBERS);
    Tenant tenant = ctx.tenant();
    synchronized (tenant) {
      int group = GraphRoutes.resolveIndex(tenant, Selection.Collection.GROUPS, groupId);
      if (group < 0 || !tenant.isLive(ObjectKind.GROUP, group)) {
        throw GraphException.notFound(groupId);
      }
      if (m.equals("POST") && memberId == null) {
        ObjectNode body = GraphWrites.body(ctx);
        JsonNode ref = body.get("@odata.id");
        if (ref == null || !ref.isTextual()) {
          throw GraphException.badRequest("Invalid request body: '@odata.id' is required.");
        }
        long key = reference(tenant, ref.asText());
        refuseRelationWrite(tenant, group, relation);
        if (!tenant.addRelation(group, relation, key)) {
          throw GraphWrites.alreadyExists(relation);
        }
        return Resp.empty(204);
      }
      if (m.equals("DELETE") && memberId != null) {
        long key = tenant.resolve(memberId);
        if (key < 0) {
          throw GraphException.notFound(memberId);
        }
        refuseRelationWrite(tenant, group, relation);
        if (!tenant.removeRelation(group, relation, key)) {
          throw GraphException.notFound(memberId);
        }
        return Resp.empty(204);
      }
    }
    throw GraphException.methodNotAllowed();
  }

  static void refuseRelationWrite(Tenant tenant, int group, String relation) {
    GroupKind kind = tenant.groupKind(group);
    switch (kind) {
      case DYNAMIC_SECURITY -> {
        if (relation.equals("members")) {
          throw GraphException.denied();
        }
      }
      case MAIL_ENABLED_SECURITY, DISTRIBUTION -> throw GraphException.badRequest(GraphWrites.MAIL_ENABLED_REFUSAL);
      case SYNCED_SECURITY -> {
        if (relation.equals("members")) {
          throw GraphException.badRequest(GraphWrites.SYNCED_REFUSAL);
        }
      }
      default -> { }
    }
  }

  static List<Long> references(Tenant tenant, JsonNode urls) {
    if (!urls.isArray()) {
      throw GraphException.badRequest("Invalid value for '@odata.bind': an array of URLs is expected.");
    }
    List<Long> keys = new ArrayList<>();
    Set<Long> seen = new LinkedHashSet<>();
    for (JsonNode u : urls) {
      long key = reference(tenant, u.asText());
      if (seen.add(key)) {
        keys.add(key);
      }
    }
    return keys;
  }

  /** Resolves ".../directoryObjects/{id}", ".../users/{id}" or ".../groups/{id}" to a live object key. */
  private static long reference(Tenant tenant, String url) {
    String id = url.substring(url.lastIndexOf('/') + 1);
    long key = tenant.resolve(id);
    if (key < 0 || !tenant.isLive(Membership.kindOf(key), Membership.indexOf(key))) {
      throw GraphException.notFound(id);
    }
    return key;
  }
}
