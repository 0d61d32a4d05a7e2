package io.entrabackup.simulator.directory;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;

/**
 * One change a tenant went through, as it happened (with the clock readings it used), so that applying the same edits
 * in the same order to a freshly generated tenant of the same seed gives the same objects and the same change log
 * (same seqs: delta links point into it). What a kept simulator state journals.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TenantEdit.Updated.class, name = "updated"),
    @JsonSubTypes.Type(value = TenantEdit.IdDrawn.class, name = "idDrawn"),
    @JsonSubTypes.Type(value = TenantEdit.Created.class, name = "created"),
    @JsonSubTypes.Type(value = TenantEdit.Deleted.class, name = "deleted"),
    @JsonSubTypes.Type(value = TenantEdit.Restored.class, name = "restored"),
    @JsonSubTypes.Type(value = TenantEdit.HardDeleted.class, name = "hardDeleted"),
    @JsonSubTypes.Type(value = TenantEdit.RelationAdded.class, name = "relationAdded"),
    @JsonSubTypes.Type(value = TenantEdit.RelationRemoved.class, name = "relationRemoved"),
    @JsonSubTypes.Type(value = TenantEdit.RoleAssigned.class, name = "roleAssigned"),
    @JsonSubTypes.Type(value = TenantEdit.RoleUnassigned.class, name = "roleUnassigned"),
    @JsonSubTypes.Type(value = TenantEdit.ManagerSet.class, name = "managerSet"),
    @JsonSubTypes.Type(value = TenantEdit.Purged.class, name = "purged")})
public sealed interface TenantEdit {

  /** Applies the edit again (the tenant holds its own lock). */
  void applyTo(Tenant tenant);

  /** Property values that really changed (only those: replaying does not compare again). */
  record Updated(ObjectKind kind, int index, Map<String, Object> changes) implements TenantEdit {
    @Override public void applyTo(Tenant tenant) { tenant.overrideAll(kind, index, changes); }
  }

  /** A new object id was drawn (the tenant's id sequence moved on, whether or not an object was created). */
  record IdDrawn() implements TenantEdit {
    @Override public void applyTo(Tenant tenant) { tenant.drawId(); }
  }

  record Created(ObjectKind kind, Map<String, Object> properties) implements TenantEdit {
    @Override public void applyTo(Tenant tenant) { tenant.createObject(kind, properties); }
  }

  /** {@code at}: the simulator clock (epoch second) when it was deleted; the recycle bin counts from it. */
  record Deleted(ObjectKind kind, int index, long at) implements TenantEdit {
    @Override public void applyTo(Tenant tenant) { tenant.deleteAt(kind, index, at); }
  }

  record Restored(ObjectKind kind, int index) implements TenantEdit {
    @Override public void applyTo(Tenant tenant) { tenant.restoreObject(kind, index); }
  }

  record HardDeleted(ObjectKind kind, int index) implements TenantEdit {
    @Override public void applyTo(Tenant tenant) { tenant.hardDeleteObject(kind, index); }
  }

  record RelationAdded(int group, String relation, long member) implements TenantEdit {
    @Override public void applyTo(Tenant tenant) { tenant.addToRelation(group, relation, member); }
  }

  record RelationRemoved(int group, String relation, long member) implements TenantEdit {
    @Override public void applyTo(Tenant tenant) { tenant.removeFromRelation(group, relation, member); }
  }

  record RoleAssigned(String roleDefinitionId, long principal, String scope) implements TenantEdit {
    @Override public void applyTo(Tenant tenant) { tenant.assign(roleDefinitionId, principal, scope); }
  }

  record RoleUnassigned(String assignmentId) implements TenantEdit {
    @Override public void applyTo(Tenant tenant) { tenant.unassign(assignmentId); }
  }

  /** {@code manager} is a user key, or -1 for none. */
  record ManagerSet(int user, long manager) implements TenantEdit {
    @Override public void applyTo(Tenant tenant) { tenant.changeManager(user, manager); }
  }

  /** The recycle bin was emptied of what had expired at {@code at} (epoch second of the simulator clock). */
  record Purged(long at) implements TenantEdit {
    @Override public void applyTo(Tenant tenant) { tenant.purgeExpiredAt(at); }
  }

  /** Where a tenant reports its edits; called under the tenant's lock, right after the edit. */
  @FunctionalInterface
  interface Sink {
    /** {@code seq}: the tenant's change-log position after the edit (a replay checks it gets the same). */
    void edited(Tenant tenant, long seq, TenantEdit edit);
  }
}
