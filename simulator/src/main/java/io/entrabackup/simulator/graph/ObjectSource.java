package io.entrabackup.simulator.graph;

import io.entrabackup.simulator.directory.Membership;
import io.entrabackup.simulator.directory.ObjectKind;
import io.entrabackup.simulator.directory.RoleCatalog;
import io.entrabackup.simulator.directory.Tenant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A uniform view of one collection of a tenant (users, groups or directory roles) for lists and delta rounds. */
abstract class ObjectSource {
  /** A relation as positions that may be empty (removed members read as -1). */
  interface Relation {
    int positions();
    long at(int pos);
  }

  final Tenant tenant;

  ObjectSource(Tenant tenant) {
    this.tenant = tenant;
  }

  abstract ObjectKind kind();
  abstract int size();
  abstract boolean live(int index);
  abstract boolean exists(int index);
  abstract String id(int index);
  abstract Map<String, Object> properties(int index);
  abstract Relation relation(int index, String name);

  static ObjectSource of(Tenant tenant, Selection.Collection c) {
    return switch (c) {
      case USERS -> new Table(tenant, ObjectKind.USER);
      case GROUPS -> new Table(tenant, ObjectKind.GROUP);
      case DIRECTORY_ROLES -> new Roles(tenant);
    };
  }

  /** Users or groups. */
  static final class Table extends ObjectSource {
    private final ObjectKind kind;

    Table(Tenant tenant, ObjectKind kind) {
      super(tenant);
      this.kind = kind;
    }

    @Override ObjectKind kind() { return kind; }
    @Override int size() { return tenant.size(kind); }
    @Override boolean live(int index) { return tenant.isLive(kind, index); }
    @Override boolean exists(int index) { return tenant.exists(kind, index); }
    @Override String id(int index) { return tenant.objectId(kind, index); }
    @Override Map<String, Object> properties(int index) { return tenant.properties(kind, index); }

    @Override Relation relation(int index, String name) {
      if (kind == ObjectKind.USER && name.equals("manager")) {
        long manager = tenant.manager(index);
        return new Relation() {
          @Override public int positions() { return manager >= 0 ? 1 : 0; }
          @Override public long at(int pos) { return manager; }
        };
      }
      if (kind != ObjectKind.GROUP) {
        return null;
      }
      Membership m = tenant.relation(index, name);
      return new Relation() {
        @Override public int positions() { return m.positions(); }
        @Override public long at(int pos) { return m.at(pos); }
      };
    }
  }

  /** Activated directory roles; members derived from tenant-wide role assignments. */
  static final class Roles extends ObjectSource {
    Roles(Tenant tenant) {
      super(tenant);
    }

    @Override ObjectKind kind() { return ObjectKind.DIRECTORY_ROLE; }
    @Override int size() { return tenant.roles().directoryRoles().size(); }
    @Override boolean live(int index) { return index < size(); }
    @Override boolean exists(int index) { return index < size(); }
    @Override String id(int index) { return tenant.roles().directoryRoles().get(index).id(); }

    @Override Map<String, Object> properties(int index) {
      RoleCatalog.DirectoryRole r = tenant.roles().directoryRoles().get(index);
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("id", r.id());
      p.put("deletedDateTime", null);
      p.put("description", r.description());
      p.put("displayName", r.displayName());
      p.put("roleTemplateId", r.roleTemplateId());
      return p;
    }

    @Override Relation relation(int index, String name) {
      if (!name.equals("members")) {
        return null;
      }
      List<Long> members = tenant.roles().roleMembers(tenant.roles().directoryRoles().get(index));
      return new Relation() {
        @Override public int positions() { return members.size(); }
        @Override public long at(int pos) { return members.get(pos); }
      };
    }
  }

  /** The same collection restricted to a few objects ({@code $filter=id eq '...' or ...}), in the order given. */
  static final class Filtered extends ObjectSource {
    private final ObjectSource inner;
    private final int[] indices;

    Filtered(ObjectSource inner, int[] indices) {
      super(inner.tenant);
      this.inner = inner;
      this.indices = indices;
    }

    @Override ObjectKind kind() { return inner.kind(); }
    @Override int size() { return indices.length; }
    @Override boolean live(int pos) { return inner.live(indices[pos]); }
    @Override boolean exists(int pos) { return inner.exists(indices[pos]); }
    @Override String id(int pos) { return inner.id(indices[pos]); }
    @Override Map<String, Object> properties(int pos) { return inner.properties(indices[pos]); }
    @Override Relation relation(int pos, String name) { return inner.relation(indices[pos], name); }
  }
}
