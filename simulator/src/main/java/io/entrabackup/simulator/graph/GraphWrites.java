package io.entrabackup.simulator.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.simulator.Services;
import io.entrabackup.simulator.directory.GroupKind;
import io.entrabackup.simulator.directory.GroupSchema;
import io.entrabackup.simulator.directory.Membership;
import io.entrabackup.simulator.directory.ObjectKind;
import io.entrabackup.simulator.directory.Tenant;
import io.entrabackup.simulator.directory.UserSchema;
import io.entrabackup.simulator.http.Json;
import io.entrabackup.simulator.http.Resp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Graph writes with Entra's refusals: read-only and on-premises-mastered properties, required properties on create,
 * soft delete and restore, member/owner references (dynamic, mail-enabled and synced groups refuse), role assignments.
 */
final class GraphWrites {
  static final String SYNCED_REFUSAL = "Unable to update the specified properties for on-premises mastered Directory Sync"
      + " objects or objects currently undergoing migration.";
  static final String MAIL_ENABLED_REFUSAL = "Cannot Update a mail-enabled security groups and or distribution list.";
  static final String MAIL_ENABLED_CREATE_REFUSAL = "The service does not currently support writes of mail-enabled groups."
      + " Please ensure that the mail-enablement property is unset and the security-enablement property is set.";
  private static final int MAX_BINDS = 20;

  private final Services services;

  GraphWrites(Services services) {
    this.services = services;
  }

  // ---- PATCH ----------------------------------------------------------------------------------------------------

  Resp update(GraphContext ctx, Selection.Collection c, String id) {
    if (c == Selection.Collection.DIRECTORY_ROLES) {
      throw GraphException.methodNotAllowed();
    }
    ObjectNode body = body(ctx);
    boolean onlyBinds = true;
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      if (!it.next().endsWith("@odata.bind")) {
        onlyBinds = false;
      }
    }
    ctx.require(c == Selection.Collection.USERS ? Permissions.WRITE_USERS : onlyBinds ? Permissions.WRITE_MEMBERS : Permissions.WRITE_GROUPS);
    Tenant tenant = ctx.tenant();
    synchronized (tenant) {
      ObjectKind kind = kindOf(c);
      int index = liveTarget(ctx, tenant, c, kind, id);
      boolean synced = tenant.isSynced(kind, index);
      Map<String, Object> changes = new LinkedHashMap<>();
      List<String> syncedProps = new ArrayList<>();
      Map<String, List<Long>> binds = readBody(tenant, kind, body, (name, v) -> {
        checkWritable(kind, name, false);
        if (synced && (kind == ObjectKind.USER ? UserSchema.SYNC_MASTERED : GroupSchema.SYNC_MASTERED).contains(name)) {
          syncedProps.add(name);
        } else if (!UserSchema.WRITE_ONLY.contains(name)) {
          changes.put(name, value(tenant, kind, index, name, v));
        }
      });
      if (!syncedProps.isEmpty()) {
        throw GraphException.badRequest(SYNCED_REFUSAL);
      }
      if (kind == ObjectKind.GROUP) {
        GroupKind gk = tenant.groupKind(index);
        if ((gk == GroupKind.MAIL_ENABLED_SECURITY || gk == GroupKind.DISTRIBUTION) && (!changes.isEmpty() || !binds.isEmpty())) {
          throw GraphException.badRequest(MAIL_ENABLED_REFUSAL);
        }
        checkBinds(tenant, index, binds);
      }
      if (changes.containsKey("userPrincipalName")) {
        checkUpn(tenant, (String) changes.get("userPrincipalName"), index);
      }
      tenant.update(kind, index, changes);
      binds.forEach((relation, keys) -> keys.forEach(k -> tenant.addRelation(index, relation, k)));
    }
    return Resp.empty(204);
  }

  /** Role template ids that let an app write users who hold admin roles. */
  static final Set<String> PRIVILEGED_WIDS = Set.of("62e90394-69f5-4237-9190-012177145e10",
      "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "e8611ab8-c189-46e8-94e1-60213ab1f814");

  // Entra protects administrators: User.ReadWrite.All alone cannot change a user who holds a directory role.
  private static void requirePrivilegedRoleForAdmins(GraphContext ctx, Tenant tenant, int userIndex) {
    long key = Membership.key(ObjectKind.USER, userIndex);
    boolean admin = tenant.roles().assignments().stream().anyMatch(a -> a.principal() == key
        && tenant.roles().definition(a.roleDefinitionId()).builtIn());
    if (admin && ctx.token().wids().stream().noneMatch(PRIVILEGED_WIDS::contains)) {
      throw GraphException.denied();
    }
  }

  private void checkBinds(Tenant tenant, int group, Map<String, List<Long>> binds) {
    checkBindCount(binds);
    for (Map.Entry<String, List<Long>> e : binds.entrySet()) {
      if (!e.getKey().equals("members") && !e.getKey().equals("owners")) {
        throw GraphException.badRequest("Invalid property '" + e.getKey() + "@odata.bind'.");
      }
      GroupRelationWrites.refuseRelationWrite(tenant, group, e.getKey());
      for (long key : e.getValue()) {
        if (tenant.relation(group, e.getKey()).contains(key)) {
          throw alreadyExists(e.getKey());
        }
      }
    }
  }

  static GraphException alreadyExists(String relation) {
    return GraphException.badRequest("One or more added object references already exist for the following modified properties: '"
        + relation + "'.");
  }

  private static void checkWritable(ObjectKind kind, String name, boolean creating) {
    if (creating && kind == ObjectKind.GROUP && name.equals("mailEnabled")) {
      return; // settable when the group is created, never afterwards
    }
    List<String> all = kind == ObjectKind.USER ? UserSchema.ALL : GroupSchema.ALL;
    Set<String> readOnly = kind == ObjectKind.USER ? UserSchema.READ_ONLY : GroupSchema.READ_ONLY;
    if (readOnly.contains(name)) {
      throw GraphException.badRequest("Property '" + name + "' is read-only and cannot be set.");
    }
    if (!all.contains(name) && !(kind == ObjectKind.USER && UserSchema.WRITE_ONLY.contains(name))
        && !(kind == ObjectKind.USER && name.equals("onPremisesImmutableId"))) {
      throw GraphException.badRequest("Invalid property '" + name + "'.");
    }
  }

  private static Object value(Tenant tenant, ObjectKind kind, int index, String name, JsonNode v) {
    Object plain = Json.MAPPER.convertValue(v, Object.class);
    if (name.equals("accountEnabled") && !(plain instanceof Boolean)) {
      throw GraphException.badRequest("Invalid value specified for property 'accountEnabled' of resource 'User'.");
    }
    if (name.equals("onPremisesExtensionAttributes") && plain instanceof Map<?, ?> patch && index >= 0) {
      Map<String, Object> merged = new LinkedHashMap<>();
      Object current = tenant.property(kind, index, name);
      if (current instanceof Map<?, ?> cur) {
        cur.forEach((k, val) -> merged.put(String.valueOf(k), val));
      }
      patch.forEach((k, val) -> merged.put(String.valueOf(k), val));
      return merged;
    }
    return plain;
  }

  private static void checkUpn(Tenant tenant, String upn, int self) {
    int at = upn == null ? -1 : upn.indexOf('@');
    if (at <= 0 || !upn.substring(at + 1).equalsIgnoreCase(tenant.domain())) {
      throw GraphException.badRequest("The domain portion of the userPrincipalName property is invalid. You must use one of the"
          + " verified domain names in your organization.");
    }
    int other = tenant.userByUpn(upn);
    if (other >= 0 && other != self) {
      throw GraphException.badRequest("Another object with the same value for property userPrincipalName already exists.");
    }
  }

  // ---- POST /users, /groups -------------------------------------------------------------------------------------

  Resp create(GraphContext ctx, Selection.Collection c) {
    ObjectNode body = body(ctx);
    Tenant tenant = ctx.tenant();
    ObjectKind kind = kindOf(c);
    ctx.require(kind == ObjectKind.USER ? Permissions.WRITE_USERS : Permissions.WRITE_GROUPS);
    List<String> required = kind == ObjectKind.USER ? UserSchema.REQUIRED_ON_CREATE : GroupSchema.REQUIRED_ON_CREATE;
    for (String r : required) {
      if (!body.hasNonNull(r)) {
        throw GraphException.badRequest("Invalid value specified for property '" + r + "' of resource '"
            + (kind == ObjectKind.USER ? "User" : "Group") + "'.");
      }
    }
    synchronized (tenant) {
      Map<String, Object> props = new LinkedHashMap<>();
      for (String p : kind == ObjectKind.USER ? UserSchema.ALL : GroupSchema.ALL) {
        props.put(p, null);
      }
      Map<String, List<Long>> binds = readBody(tenant, kind, body, (name, v) -> {
        checkWritable(kind, name, true);
        if (!UserSchema.WRITE_ONLY.contains(name)) {
          props.put(name, value(tenant, kind, -1, name, v));
        }
      });
      String id = tenant.newId().toString();
      props.put("id", id);
      props.put("createdDateTime", services.clock().now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
      if (kind == ObjectKind.USER) {
        checkUpn(tenant, (String) props.get("userPrincipalName"), -1);
        userDefaults(props);
      } else {
        groupDefaults(tenant, props, binds);
      }
      int index = tenant.create(kind, props);
      binds.forEach((relation, keys) -> keys.forEach(k -> tenant.addRelation(index, relation, k)));
      Selection sel = Selection.parse(c, null, false);
      Map<String, Object> out = kind == ObjectKind.USER ? DeltaEngine.project(tenant.properties(kind, index), sel)
          : tenant.properties(kind, index);
      return GraphRoutes.created(entityBody(c.path(), out));
    }
  }

  private static void userDefaults(Map<String, Object> p) {
    if (p.get("userType") == null) {
      p.put("userType", "Member");
    }
    for (String list : List.of("businessPhones", "otherMails", "imAddresses", "identities")) {
      if (p.get(list) == null) {
        p.put(list, List.of());
      }
    }
    Object mail = p.get("mail");
    p.put("proxyAddresses", mail == null ? List.of() : List.of("SMTP:" + mail));
    if (p.get("onPremisesExtensionAttributes") == null) {
      p.put("onPremisesExtensionAttributes", UserSchema.emptyExtensionAttributes());
    }
    p.put("securityIdentifier", "S-1-12-1-" + Integer.toUnsignedString(p.get("id").hashCode()));
  }

  private void groupDefaults(Tenant tenant, Map<String, Object> p, Map<String, List<Long>> binds) {
    List<String> types = GroupSchemaTypes.of(p.get("groupTypes"));
    boolean unified = types.contains("Unified");
    boolean mailEnabled = Boolean.TRUE.equals(p.get("mailEnabled"));
    if (mailEnabled && !unified) {
      throw GraphException.badRequest(MAIL_ENABLED_CREATE_REFUSAL);
    }
    if (unified && !mailEnabled) {
      throw GraphException.badRequest("A Microsoft 365 group must be mail-enabled: set 'mailEnabled' to true.");
    }
    if (types.contains("DynamicMembership") && p.get("membershipRule") == null) {
      throw GraphException.badRequest("One or more property values specified are invalid.");
    }
    if (types.contains("DynamicMembership") && binds.containsKey("members")) {
      throw GraphException.denied();
    }
    checkBindCount(binds);
    p.put("groupTypes", types);
    if (unified) {
      String mail = String.valueOf(p.get("mailNickname")).toLowerCase() + "@" + tenant.domain();
      p.put("mail", mail);
      p.put("proxyAddresses", List.of("SMTP:" + mail));
      if (p.get("visibility") == null) {
        p.put("visibility", "Public");
      }
    } else {
      p.put("proxyAddresses", List.of());
    }
    if (types.contains("DynamicMembership") && p.get("membershipRuleProcessingState") == null) {
      p.put("membershipRuleProcessingState", "On");
    }
    p.put("renewedDateTime", p.get("createdDateTime"));
    p.put("creationOptions", List.of());
    p.put("resourceBehaviorOptions", List.of());
    p.put("resourceProvisioningOptions", List.of());
    p.put("securityIdentifier", "S-1-12-1-" + Integer.toUnsignedString(p.get("id").hashCode()));
  }

  /** Tiny helper so groupTypes given as anything list-like becomes a list of strings. */
  private static final class GroupSchemaTypes {
    static List<String> of(Object o) {
      List<String> out = new ArrayList<>();
      if (o instanceof List<?> l) {
        l.forEach(x -> out.add(String.valueOf(x)));
      }
      return out;
    }
  }

  // ---- DELETE ---------------------------------------------------------------------------------------------------

  Resp delete(GraphContext ctx, Selection.Collection c, String id) {
    if (c == Selection.Collection.DIRECTORY_ROLES) {
      throw GraphException.methodNotAllowed();
    }
    ObjectKind kind = kindOf(c);
    ctx.require(kind == ObjectKind.USER ? Permissions.WRITE_USERS : Permissions.WRITE_GROUPS);
    Tenant tenant = ctx.tenant();
    synchronized (tenant) {
      tenant.delete(kind, liveTarget(ctx, tenant, c, kind, id));
    }
    return Resp.empty(204);
  }

  // ---- helpers --------------------------------------------------------------------------------------------------

  private static ObjectKind kindOf(Selection.Collection c) {
    return c == Selection.Collection.USERS ? ObjectKind.USER : ObjectKind.GROUP;
  }

  /** The index of the live user or group a PATCH or DELETE names; changing an administrator needs a privileged role. */
  private static int liveTarget(GraphContext ctx, Tenant tenant, Selection.Collection c, ObjectKind kind, String id) {
    int index = GraphRoutes.resolveIndex(tenant, c, id);
    if (index < 0 || !tenant.isLive(kind, index)) {
      throw GraphException.notFound(id);
    }
    if (kind == ObjectKind.USER) {
      requirePrivilegedRoleForAdmins(ctx, tenant, index);
    }
    return index;
  }

  private Map<String, Object> entityBody(String path, Map<String, Object> obj) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("@odata.context", services.graphBaseUrl() + "/$metadata#" + path + "/$entity");
    body.putAll(obj);
    return body;
  }

  /**
   * Walks a write's body in its order: {@code @odata.type} is skipped, a group's {@code relation@odata.bind} is
   * resolved into references, and every other field goes to {@code property}. Returns the references by relation.
   */
  private static Map<String, List<Long>> readBody(Tenant tenant, ObjectKind kind, ObjectNode body,
                                                  BiConsumer<String, JsonNode> property) {
    Map<String, List<Long>> binds = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      if (name.equals("@odata.type")) {
        continue;
      }
      if (name.endsWith("@odata.bind") && kind == ObjectKind.GROUP) {
        binds.put(name.substring(0, name.indexOf('@')), GroupRelationWrites.references(tenant, e.getValue()));
      } else {
        property.accept(name, e.getValue());
      }
    }
    return binds;
  }

  /** Graph refuses more than {@link #MAX_BINDS} references in one request, whichever relations they go to. */
  private static void checkBindCount(Map<String, List<Long>> binds) {
    int total = binds.values().stream().mapToInt(List::size).sum();
    if (total > MAX_BINDS) {
      throw GraphException.badRequest("The maximum number of references (" + MAX_BINDS + ") that can be added or removed in a"
          + " single request has been exceeded.");
    }
  }

  static ObjectNode body(GraphContext ctx) {
    ObjectNode body = Json.object(ctx.req().body());
    if (body == null) {
      throw GraphException.badRequest("Empty Payload. JSON content expected.");
    }
    return body;
  }

  static String now(Instant i) {
    return i.toString();
  }
}
