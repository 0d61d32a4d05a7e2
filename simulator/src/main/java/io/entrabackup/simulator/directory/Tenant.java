package io.entrabackup.simulator.directory;

import io.entrabackup.simulator.SimClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * One generated Entra tenant: users, groups with members and owners, roles, and the change log every write appends
 * to. All access goes through the tenant's monitor ({@code synchronized}); callers that read several things at once
 * (a delta page) hold it for the whole page.
 */
public final class Tenant {
  /** Soft-deleted users and Microsoft 365 groups stay restorable this long, then are purged. */
  public static final Duration RECYCLE_BIN_RETENTION = Duration.ofDays(30);

  private final int number;
  private final UUID id;
  private final String domain;
  private final String displayName;
  private final long salt;
  private final ObjectIds ids;
  private final SimClock clock;
  private final UserGenerator userGenerator;
  private final ObjectTable users;
  private final ObjectTable groups;
  private final List<Membership> members = new ArrayList<>();
  private final List<Membership> owners = new ArrayList<>();
  private final RoleCatalog roles;
  private final ChangeLog log = new ChangeLog();
  private final Map<UUID, Long> createdIds = new HashMap<>();
  /** Manager links that differ from the generated ones (-1 = no manager). */
  private final Map<Integer, Long> managerOverrides = new HashMap<>();
  private final SplittableRandom idRandom;
  private final Instant createdAt;
  private TenantEdit.Sink sink = (tenant, seq, edit) -> { };
  /** No soft-deleted object expires before this epoch second: lets every request skip the recycle-bin scan. */
  private long nextPurgeAt = Long.MAX_VALUE;

  Tenant(int number, UUID id, String domain, String displayName, long salt, int userCount, int groupCount, SimClock clock) {
    this.number = number;
    this.id = id;
    this.domain = domain;
    this.displayName = displayName;
    this.salt = salt;
    this.clock = clock;
    this.ids = new ObjectIds(salt);
    this.userGenerator = new UserGenerator(salt, domain, ids);
    GroupGenerator groupGenerator = new GroupGenerator(salt, domain, userCount, ids);
    this.users = new ObjectTable(userCount, userGenerator::properties);
    this.groups = new ObjectTable(groupCount, groupGenerator::properties);
    for (int g = 0; g < groupCount; g++) {
      members.add(groupGenerator.members(g, groupCount));
      owners.add(groupGenerator.owners(g));
    }
    this.roles = new RoleCatalog(salt, ids);
    roles.generate(userCount);
    this.idRandom = new SplittableRandom(salt ^ 0x5DEECE66DL);
    this.createdAt = Instant.parse("2019-01-01T00:00:00Z");
  }

  public int number() { return number; }
  public UUID id() { return id; }
  public String domain() { return domain; }
  public String displayName() { return displayName; }
  public long salt() { return salt; }
  public SimClock clock() { return clock; }
  public ObjectIds ids() { return ids; }
  public synchronized RoleCatalog roles() { return roles; }
  public synchronized long seq() { return log.seq(); }
  public Instant createdAt() { return createdAt; }

  public synchronized int userCount() { return users.size(); }
  public synchronized int groupCount() { return groups.size(); }
  public synchronized int generatedUserCount() { return users.generatedCount(); }
  public synchronized int generatedGroupCount() { return groups.generatedCount(); }

  /** The live user count, which decides the throttling tier. */
  public synchronized int liveUserCount() {
    return users.size() - users.softDeleted().size() - users.hardDeletedCount();
  }

  ObjectTable table(ObjectKind kind) {
    return switch (kind) {
      case USER -> users;
      case GROUP -> groups;
      default -> throw new IllegalArgumentException("No object table for " + kind);
    };
  }

  // ---- reads ---------------------------------------------------------------------------------------------------

  public synchronized String objectId(ObjectKind kind, int index) {
    if (kind == ObjectKind.DIRECTORY_ROLE) {
      return roles.directoryRoles().get(index).id();
    }
    return index < table(kind).generatedCount() ? ids.id(kind, index).toString() : (String) table(kind).property(index, "id");
  }

  public synchronized String objectId(long key) {
    return objectId(Membership.kindOf(key), Membership.indexOf(key));
  }

  /** Resolves a GUID string to a user or group key, or -1 when no such object was ever here. */
  public synchronized long resolve(String idText) {
    UUID uuid;
    try {
      uuid = UUID.fromString(idText);
    } catch (IllegalArgumentException e) {
      return -1;
    }
    Long created = createdIds.get(uuid);
    if (created != null) {
      return created;
    }
    ObjectIds.Ref ref = ids.decode(uuid);
    if (ref == null || (ref.kind() != ObjectKind.USER && ref.kind() != ObjectKind.GROUP)) {
      return -1;
    }
    if (ref.index() < 0 || ref.index() >= table(ref.kind()).generatedCount()) {
      return -1;
    }
    return Membership.key(ref.kind(), ref.index());
  }

  /** Finds a user by id or userPrincipalName; -1 when unknown. */
  public synchronized int findUser(String idOrUpn) {
    long key = resolve(idOrUpn);
    if (key >= 0) {
      return Membership.kindOf(key) == ObjectKind.USER ? Membership.indexOf(key) : -1;
    }
    if (!idOrUpn.contains("@")) {
      return -1;
    }
    return userByUpn(idOrUpn);
  }

  /** The index of the existing (live or soft-deleted) user with this UPN, or -1. */
  public synchronized int userByUpn(String upn) {
    for (Map.Entry<Integer, Map<String, Object>> e : users.overrides().entrySet()) {
      Object v = e.getValue().get("userPrincipalName");
      if (v != null && upn.equalsIgnoreCase(v.toString()) && users.exists(e.getKey())) {
        return e.getKey();
      }
    }
    for (int i = users.generatedCount(); i < users.size(); i++) {
      if (users.exists(i) && upn.equalsIgnoreCase(String.valueOf(users.property(i, "userPrincipalName")))) {
        return i;
      }
    }
    int index = UserGenerator.indexFromUpn(upn);
    if (index >= 0 && index < users.generatedCount() && users.exists(index)
        && upn.equalsIgnoreCase(String.valueOf(users.property(index, "userPrincipalName")))) {
      return index;
    }
    return -1;
  }

  public synchronized boolean isLive(ObjectKind kind, int index) {
    return table(kind).isLive(index);
  }

  public synchronized boolean isSoftDeleted(ObjectKind kind, int index) {
    return table(kind).isSoftDeleted(index);
  }

  public synchronized boolean exists(ObjectKind kind, int index) {
    return table(kind).exists(index);
  }

  public synchronized int size(ObjectKind kind) {
    return table(kind).size();
  }

  /** All current properties of a user or group (soft-deleted ones carry deletedDateTime). */
  public synchronized Map<String, Object> properties(ObjectKind kind, int index) {
    Map<String, Object> p = table(kind).properties(index);
    Long deletedAt = table(kind).deletedAt(index);
    if (deletedAt != null) {
      p.put("deletedDateTime", Instant.ofEpochSecond(deletedAt).toString());
    }
    return p;
  }

  public synchronized Object property(ObjectKind kind, int index, String name) {
    return table(kind).property(index, name);
  }

  public synchronized Membership relation(int groupIndex, String relation) {
    return "owners".equals(relation) ? owners.get(groupIndex) : members.get(groupIndex);
  }

  /**
   * A user's manager (a user key), or -1. Generated members report to user (i-1)/8, skipping guests, so the org chart
   * is a tree rooted at the admin; a manager deleted for good no longer counts.
   */
  public synchronized long manager(int userIndex) {
    Long override = managerOverrides.get(userIndex);
    long key;
    if (override != null) {
      key = override;
    } else if (userIndex > 0 && userIndex < users.generatedCount() && userGenerator.kind(userIndex) != UserGenerator.Kind.GUEST) {
      int m = (userIndex - 1) / 8;
      while (m > 0 && userGenerator.kind(m) == UserGenerator.Kind.GUEST) {
        m = (m - 1) / 8;
      }
      key = Membership.key(ObjectKind.USER, m);
    } else {
      key = -1;
    }
    return key >= 0 && users.exists(Membership.indexOf(key)) ? key : -1;
  }

  public synchronized GroupKind groupKind(int index) {
    return GroupKind.of(groups.properties(index));
  }

  public synchronized boolean isSynced(ObjectKind kind, int index) {
    return Boolean.TRUE.equals(table(kind).property(index, "onPremisesSyncEnabled"));
  }

  /** Soft-deleted objects of a kind with their deletion time (epoch seconds), oldest first. */
  public synchronized Map<Integer, Long> softDeleted(ObjectKind kind) {
    return new LinkedHashMap<>(table(kind).softDeleted());
  }

  /** The change log entries after {@code afterSeq} up to and including {@code uptoSeq}. */
  public synchronized List<Change> changes(long afterSeq, long uptoSeq) {
    return log.between(afterSeq, uptoSeq);
  }

  // ---- writes (each appends to the change log and is reported as a TenantEdit) ---------------------------------
  // Each public write does its work in a package-private method of its own (which nested writes and a replay call,
  // so that one write is reported once) and reports the edit when something changed.

  /** Reports this tenant's edits to the sink from now on (a kept simulator state journals them). */
  public synchronized void reportEditsTo(TenantEdit.Sink sink) {
    this.sink = Objects.requireNonNull(sink);
  }

  /** Applies an edit reported earlier (by this tenant in an earlier run of the simulator); not reported again. */
  public synchronized void replay(TenantEdit edit) {
    edit.applyTo(this);
  }

  private void report(TenantEdit edit) {
    sink.edited(this, log.seq(), edit);
  }

  /** Reports the edit when the write changed something; returns whether it did. */
  private boolean reportIfChanged(boolean changed, TenantEdit edit) {
    if (changed) {
      report(edit);
    }
    return changed;
  }

  private void record(ObjectKind kind, int index, Change.Type type, Set<String> props, String relation, long member) {
    log.record(kind, index, type, props, relation, member);
  }

  /** Applies property changes; only values that really differ are logged. Returns the changed names. */
  public synchronized Set<String> update(ObjectKind kind, int index, Map<String, Object> changes) {
    Map<String, Object> current = table(kind).properties(index);
    Map<String, Object> changed = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : changes.entrySet()) {
      if (!Objects.equals(current.get(e.getKey()), e.getValue())) {
        changed.put(e.getKey(), e.getValue());
      }
    }
    if (!changed.isEmpty()) {
      overrideAll(kind, index, changed);
      report(new TenantEdit.Updated(kind, index, changed));
    }
    return changed.keySet();
  }

  void overrideAll(ObjectKind kind, int index, Map<String, Object> changed) {
    changed.forEach((name, value) -> table(kind).override(index, name, value));
    record(kind, index, Change.Type.UPDATED, Set.copyOf(changed.keySet()), null, 0);
  }

  /** A new GUID for an object created through Graph: deterministic per tenant seed, never a generated one. */
  public synchronized UUID newId() {
    UUID u = drawId();
    report(new TenantEdit.IdDrawn());
    return u;
  }

  UUID drawId() {
    UUID u;
    do {
      u = new UUID((idRandom.nextLong() & ~0xf000L) | 0x4000L, (idRandom.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L);
    } while (createdIds.containsKey(u) || ids.decode(u) != null);
    return u;
  }

  public synchronized int create(ObjectKind kind, Map<String, Object> props) {
    int index = createObject(kind, props);
    report(new TenantEdit.Created(kind, props));
    return index;
  }

  int createObject(ObjectKind kind, Map<String, Object> props) {
    UUID uuid = UUID.fromString((String) props.get("id"));
    int index = table(kind).create(props);
    if (kind == ObjectKind.GROUP) {
      members.add(Membership.empty());
      owners.add(Membership.empty());
    }
    createdIds.put(uuid, Membership.key(kind, index));
    record(kind, index, Change.Type.CREATED, null, null, 0);
    return index;
  }

  /** Deletes a user or group: users and Microsoft 365 groups go to the recycle bin, other groups are gone at once. */
  public synchronized void delete(ObjectKind kind, int index) {
    long now = clock.nowEpochSecond();
    deleteAt(kind, index, now);
    report(new TenantEdit.Deleted(kind, index, now));
  }

  void deleteAt(ObjectKind kind, int index, long now) {
    boolean recyclable = kind == ObjectKind.USER || groupKind(index) == GroupKind.UNIFIED;
    if (recyclable) {
      table(kind).softDelete(index, now);
      nextPurgeAt = Math.min(nextPurgeAt, now + RECYCLE_BIN_RETENTION.getSeconds());
      record(kind, index, Change.Type.SOFT_DELETED, null, null, 0);
    } else {
      hardDeleteObject(kind, index);
    }
  }

  public synchronized void restore(ObjectKind kind, int index) {
    restoreObject(kind, index);
    report(new TenantEdit.Restored(kind, index));
  }

  void restoreObject(ObjectKind kind, int index) {
    table(kind).restore(index);
    record(kind, index, Change.Type.RESTORED, null, null, 0);
  }

  /** Removes an object for good: it leaves every group and role it belonged to. */
  public synchronized void hardDelete(ObjectKind kind, int index) {
    hardDeleteObject(kind, index);
    report(new TenantEdit.HardDeleted(kind, index));
  }

  void hardDeleteObject(ObjectKind kind, int index) {
    long key = Membership.key(kind, index);
    for (int g = 0; g < groups.size(); g++) {
      if (!groups.exists(g)) {
        continue;
      }
      for (String relation : List.of("members", "owners")) {
        removeFromRelation(g, relation, key);
      }
    }
    for (RoleCatalog.RoleAssignment a : roles.assignments()) {
      if (a.principal() == key) {
        unassign(a.id());
      }
    }
    table(kind).hardDelete(index);
    record(kind, index, Change.Type.HARD_DELETED, null, null, 0);
  }

  public synchronized boolean addRelation(int groupIndex, String relation, long key) {
    return reportIfChanged(addToRelation(groupIndex, relation, key), new TenantEdit.RelationAdded(groupIndex, relation, key));
  }

  boolean addToRelation(int groupIndex, String relation, long key) {
    return recordIfChanged(relation(groupIndex, relation).add(key), groupIndex, relation, Change.Type.MEMBER_ADDED, key);
  }

  public synchronized boolean removeRelation(int groupIndex, String relation, long key) {
    return reportIfChanged(removeFromRelation(groupIndex, relation, key),
        new TenantEdit.RelationRemoved(groupIndex, relation, key));
  }

  boolean removeFromRelation(int groupIndex, String relation, long key) {
    return recordIfChanged(relation(groupIndex, relation).remove(key), groupIndex, relation, Change.Type.MEMBER_REMOVED, key);
  }

  /** Logs a change of a group's members or owners when the relation really changed; returns whether it did. */
  private boolean recordIfChanged(boolean changed, int groupIndex, String relation, Change.Type type, long key) {
    if (changed) {
      record(ObjectKind.GROUP, groupIndex, type, null, relation, key);
    }
    return changed;
  }

  public synchronized RoleCatalog.RoleAssignment addAssignment(String roleDefinitionId, long principal, String scope) {
    RoleCatalog.RoleAssignment a = assign(roleDefinitionId, principal, scope);
    report(new TenantEdit.RoleAssigned(roleDefinitionId, principal, scope));
    return a;
  }

  RoleCatalog.RoleAssignment assign(String roleDefinitionId, long principal, String scope) {
    RoleCatalog.RoleDefinition d = roles.definition(roleDefinitionId);
    RoleCatalog.RoleAssignment a = roles.add(d.id(), principal, scope);
    if (d.builtIn() && scope.equals("/")) {
      boolean wasActive = roles.directoryRoleFor(d.id()) != null;
      int role = roles.activate(d);
      if (!wasActive) {
        record(ObjectKind.DIRECTORY_ROLE, role, Change.Type.CREATED, null, null, 0);
      }
      record(ObjectKind.DIRECTORY_ROLE, role, Change.Type.MEMBER_ADDED, null, "members", principal);
    }
    return a;
  }

  public synchronized RoleCatalog.RoleAssignment removeAssignment(String assignmentId) {
    RoleCatalog.RoleAssignment a = unassign(assignmentId);
    if (a != null) {
      report(new TenantEdit.RoleUnassigned(assignmentId));
    }
    return a;
  }

  RoleCatalog.RoleAssignment unassign(String assignmentId) {
    RoleCatalog.RoleAssignment a = roles.remove(assignmentId);
    if (a != null && a.directoryScopeId().equals("/")) {
      RoleCatalog.DirectoryRole role = roles.directoryRoleFor(a.roleDefinitionId());
      if (role != null && !roles.roleMembers(role).contains(a.principal())) {
        record(ObjectKind.DIRECTORY_ROLE, role.index(), Change.Type.MEMBER_REMOVED, null, "members", a.principal());
      }
    }
    return a;
  }

  /** Sets (key >= 0) or removes (key = -1) a user's manager; logs the old link's removal and the new one. */
  public synchronized boolean setManager(int userIndex, long key) {
    return reportIfChanged(changeManager(userIndex, key), new TenantEdit.ManagerSet(userIndex, key));
  }

  boolean changeManager(int userIndex, long key) {
    long old = manager(userIndex);
    if (old == key) {
      return false;
    }
    managerOverrides.put(userIndex, key);
    if (old >= 0) {
      record(ObjectKind.USER, userIndex, Change.Type.MEMBER_REMOVED, null, "manager", old);
    }
    if (key >= 0) {
      record(ObjectKind.USER, userIndex, Change.Type.MEMBER_ADDED, null, "manager", key);
    }
    return true;
  }

  /** Purges recycle-bin objects older than 30 days of simulator time; called before every read and write. */
  public synchronized void purgeExpired() {
    long now = clock.nowEpochSecond();
    if (now < nextPurgeAt) {
      return;
    }
    long before = log.seq();
    purgeExpiredAt(now);
    if (log.seq() != before) {
      report(new TenantEdit.Purged(now));
    }
  }

  void purgeExpiredAt(long now) {
    long cutoff = now - RECYCLE_BIN_RETENTION.getSeconds();
    long earliestLeft = Long.MAX_VALUE;
    for (ObjectKind kind : List.of(ObjectKind.USER, ObjectKind.GROUP)) {
      List<Integer> expired = new ArrayList<>();
      for (Map.Entry<Integer, Long> e : table(kind).softDeleted().entrySet()) {
        if (e.getValue() <= cutoff) {
          expired.add(e.getKey());
        } else {
          earliestLeft = Math.min(earliestLeft, e.getValue());
        }
      }
      expired.forEach(index -> hardDeleteObject(kind, index));
    }
    nextPurgeAt = earliestLeft == Long.MAX_VALUE ? Long.MAX_VALUE : earliestLeft + RECYCLE_BIN_RETENTION.getSeconds();
  }

  /** The organization resource for this tenant. */
  public Map<String, Object> organization() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("id", id.toString());
    o.put("displayName", displayName);
    o.put("tenantType", "AAD");
    o.put("createdDateTime", createdAt.toString());
    o.put("countryLetterCode", "US");
    o.put("preferredLanguage", "en");
    o.put("onPremisesSyncEnabled", Boolean.TRUE);
    o.put("onPremisesLastSyncDateTime", "2026-11-28T23:30:00Z");
    o.put("technicalNotificationMails", List.of("admin@" + domain));
    o.put("verifiedDomains", List.of(Map.of("capabilities", "Email, OfficeCommunicationsOnline", "isDefault", true,
        "isInitial", true, "name", domain, "type", "Managed")));
    return o;
  }

  public String userKindName(int index) {
    if (index >= users.generatedCount()) {
      return "created";
    }
    return userGenerator.kind(index).name().toLowerCase();
  }
}
