package io.entrabackup.simulator.directory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Changes a tenant the way life does, outside Graph (HR sync, admins in the portal): property edits, soft and hard
 * deletes, restores, membership changes. Same seed, same tenant state, same changes. Each amount is a count or a
 * percentage of the live objects ("5%").
 */
public final class Churn {
  /** What to change; null or "0" means nothing. */
  public record Spec(long seed, String updateUsers, String deleteUsers, String hardDeleteUsers, String restoreUsers,
                     String updateGroups, String deleteGroups, String addMembers, String removeMembers,
                     String restoreGroups, String addOwners, String removeOwners, String assignRoles, String unassignRoles) {

    /** Users and group memberships only. */
    public Spec(long seed, String updateUsers, String deleteUsers, String hardDeleteUsers, String restoreUsers,
                String updateGroups, String deleteGroups, String addMembers, String removeMembers) {
      this(seed, updateUsers, deleteUsers, hardDeleteUsers, restoreUsers, updateGroups, deleteGroups, addMembers,
          removeMembers, null, null, null, null, null);
    }
  }

  private static final int MAX_REPORTED = 10_000;
  private static final int MAX_ATTEMPTS_PER_PICK = 64;

  private Churn() {}

  /** Applies the spec; returns, per action, the ids of the objects it touched (at most 10,000 listed per action). */
  public static Map<String, Object> apply(Tenant tenant, Spec spec) {
    Map<String, Object> report = new LinkedHashMap<>();
    synchronized (tenant) {
      SplittableRandom rnd = new SplittableRandom(spec.seed() ^ tenant.salt() ^ (tenant.seq() * 0x9E3779B97F4A7C15L));
      int liveUsers = tenant.liveUserCount();
      int groups = tenant.groupCount();
      report.put("usersUpdated", updateUsers(tenant, rnd, amount(spec.updateUsers(), liveUsers)));
      report.put("usersDeleted", deleteUsers(tenant, rnd, amount(spec.deleteUsers(), liveUsers)));
      report.put("usersHardDeleted", hardDeleteUsers(tenant, rnd, amount(spec.hardDeleteUsers(), liveUsers)));
      report.put("usersRestored", restoreBinned(tenant, ObjectKind.USER, spec.restoreUsers()));
      report.put("groupsUpdated", updateGroups(tenant, rnd, amount(spec.updateGroups(), groups)));
      report.put("groupsDeleted", deleteGroups(tenant, rnd, amount(spec.deleteGroups(), groups)));
      report.put("membersAdded", addMembers(tenant, rnd, amount(spec.addMembers(), groups)));
      report.put("membersRemoved", changeRelation(tenant, rnd, amount(spec.removeMembers(), groups), "members", false));
      report.put("groupsRestored", restoreBinned(tenant, ObjectKind.GROUP, spec.restoreGroups()));
      report.put("ownersAdded", changeRelation(tenant, rnd, amount(spec.addOwners(), groups), "owners", true));
      report.put("ownersRemoved", changeRelation(tenant, rnd, amount(spec.removeOwners(), groups), "owners", false));
      report.put("rolesAssigned", assignRoles(tenant, rnd, amount(spec.assignRoles(), liveUsers)));
      report.put("rolesUnassigned", unassignRoles(tenant, rnd, amount(spec.unassignRoles(), tenant.roles().assignments().size())));
      report.put("seq", tenant.seq());
    }
    return report;
  }

  static int amount(String text, int base) {
    if (text == null || text.isBlank()) {
      return 0;
    }
    String t = text.trim();
    if (t.endsWith("%")) {
      double pct = Double.parseDouble(t.substring(0, t.length() - 1));
      return (int) Math.round(base * pct / 100.0);
    }
    return Integer.parseInt(t);
  }

  private static int pickLive(Tenant t, ObjectKind kind, SplittableRandom rnd, int from) {
    int size = t.size(kind);
    if (size <= from) {
      return -1;
    }
    for (int i = 0; i < MAX_ATTEMPTS_PER_PICK; i++) {
      int idx = from + rnd.nextInt(size - from);
      if (t.isLive(kind, idx)) {
        return idx;
      }
    }
    return -1;
  }

  /**
   * Up to {@code n} times, picks a live object of a kind (from index {@code from} on) and applies {@code change} to it;
   * lists the id each change answers. Stops early when no live object turns up.
   */
  private static List<String> eachLive(Tenant t, ObjectKind kind, SplittableRandom rnd, int n, int from,
                                       IntFunction<String> change) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = pickLive(t, kind, rnd, from);
      if (index < 0) {
        break;
      }
      report(ids, change.apply(index));
    }
    return ids;
  }

  private static List<String> updateUsers(Tenant t, SplittableRandom rnd, int n) {
    return eachLive(t, ObjectKind.USER, rnd, n, 1, u -> {
      Map<String, Object> changes = new LinkedHashMap<>();
      String title = String.valueOf(t.property(ObjectKind.USER, u, "jobTitle"));
      changes.put("jobTitle", Words.JOB_TITLE.get(rnd.nextInt(Words.JOB_TITLE.size())) + (title.endsWith(" II") ? "" : " II"));
      if (rnd.nextBoolean()) {
        changes.put("department", Words.DEPARTMENT.get(rnd.nextInt(Words.DEPARTMENT.size())) + " " + (1 + rnd.nextInt(9)));
      }
      if (rnd.nextInt(4) == 0) {
        changes.put("mobilePhone", String.format("+1 425 555 %04d", rnd.nextInt(10000)));
      }
      t.update(ObjectKind.USER, u, changes);
      return t.objectId(ObjectKind.USER, u);
    });
  }

  private static List<String> deleteUsers(Tenant t, SplittableRandom rnd, int n) {
    return eachLive(t, ObjectKind.USER, rnd, n, 1, u -> {
      t.delete(ObjectKind.USER, u);
      return t.objectId(ObjectKind.USER, u);
    });
  }

  private static List<String> hardDeleteUsers(Tenant t, SplittableRandom rnd, int n) {
    List<String> ids = new ArrayList<>();
    List<Integer> binned = new ArrayList<>(t.softDeleted(ObjectKind.USER).keySet());
    for (int i = 0; i < n; i++) {
      int u = !binned.isEmpty() ? binned.remove(0) : pickLive(t, ObjectKind.USER, rnd, 1);
      if (u < 0) {
        break;
      }
      String id = t.objectId(ObjectKind.USER, u);
      t.hardDelete(ObjectKind.USER, u);
      report(ids, id);
    }
    return ids;
  }

  /** Restores an amount of the objects of a kind in the recycle bin (a percentage counts the bin), oldest first. */
  private static List<String> restoreBinned(Tenant t, ObjectKind kind, String amount) {
    List<String> ids = new ArrayList<>();
    List<Integer> binned = new ArrayList<>(t.softDeleted(kind).keySet());
    int n = amount(amount, binned.size());
    for (int i = 0; i < n && i < binned.size(); i++) {
      t.restore(kind, binned.get(i));
      report(ids, t.objectId(kind, binned.get(i)));
    }
    return ids;
  }

  private static List<String> updateGroups(Tenant t, SplittableRandom rnd, int n) {
    return eachLive(t, ObjectKind.GROUP, rnd, n, 1, g -> {
      t.update(ObjectKind.GROUP, g, Map.of("description", "Updated " + Words.GROUP_TOPIC.get(rnd.nextInt(Words.GROUP_TOPIC.size()))
          + " group (" + rnd.nextInt(100000) + ")"));
      return t.objectId(ObjectKind.GROUP, g);
    });
  }

  private static List<String> deleteGroups(Tenant t, SplittableRandom rnd, int n) {
    return eachLive(t, ObjectKind.GROUP, rnd, n, 1, g -> {
      String id = t.objectId(ObjectKind.GROUP, g); // read first: a group that is not recyclable is gone at once
      t.delete(ObjectKind.GROUP, g);
      return id;
    });
  }

  private static List<String> addMembers(Tenant t, SplittableRandom rnd, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int g = pickLive(t, ObjectKind.GROUP, rnd, 0);
      int u = pickLive(t, ObjectKind.USER, rnd, 0);
      if (g < 0 || u < 0) {
        break;
      }
      if (t.addRelation(g, "members", Membership.key(ObjectKind.USER, u))) {
        report(ids, t.objectId(ObjectKind.GROUP, g) + "/" + t.objectId(ObjectKind.USER, u));
      }
    }
    return ids;
  }

  /**
   * Up to {@code n} times, adds a live user to a live group's relation ("members" or "owners") or removes one of its
   * current entries; lists "group/object" for each change that took.
   */
  private static List<String> changeRelation(Tenant t, SplittableRandom rnd, int n, String relation, boolean add) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int g = pickLive(t, ObjectKind.GROUP, rnd, 0);
      if (g < 0) {
        break;
      }
      Membership entries = t.relation(g, relation);
      long key;
      if (add) {
        int u = pickLive(t, ObjectKind.USER, rnd, 0);
        key = u < 0 ? -1 : Membership.key(ObjectKind.USER, u);
      } else {
        key = entries.positions() == 0 ? -1 : entries.at(rnd.nextInt(entries.positions()));
      }
      if (key >= 0 && (add ? t.addRelation(g, relation, key) : t.removeRelation(g, relation, key))) {
        report(ids, t.objectId(ObjectKind.GROUP, g) + "/" + t.objectId(key));
      }
    }
    return ids;
  }

  private static List<String> assignRoles(Tenant t, SplittableRandom rnd, int n) {
    List<RoleCatalog.RoleDefinition> defs = t.roles().definitions();
    return eachLive(t, ObjectKind.USER, rnd, n, 1, u -> {
      RoleCatalog.RoleDefinition d = defs.get(rnd.nextInt(defs.size()));
      String scope = d.builtIn() ? "/" : "/administrativeUnits/" + t.roles().administrativeUnits().get(rnd.nextInt(2));
      return t.addAssignment(d.id(), Membership.key(ObjectKind.USER, u), scope).id();
    });
  }

  private static List<String> unassignRoles(Tenant t, SplittableRandom rnd, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<RoleCatalog.RoleAssignment> all = t.roles().assignments();
      if (all.size() <= 1) {
        break;
      }
      // Assignment 0 is the tenant's first Global Administrator: churn never leaves a tenant without one.
      RoleCatalog.RoleAssignment a = all.get(1 + rnd.nextInt(all.size() - 1));
      t.removeAssignment(a.id());
      report(ids, a.id());
    }
    return ids;
  }

  private static void report(List<String> ids, String id) {
    if (ids.size() < MAX_REPORTED) {
      ids.add(id);
    }
  }
}
