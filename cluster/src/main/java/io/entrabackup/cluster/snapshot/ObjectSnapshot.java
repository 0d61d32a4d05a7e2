package io.entrabackup.cluster.snapshot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.protocol.backup.ObjectType;
import java.time.Instant;
import java.util.Optional;

/**
 * An object's state as stored: the full Graph JSON (all properties exactly as Graph sent them,
 * unknown ones too) plus, for groups and directory roles, "members" and "owners" arrays of Graph
 * references {@code {"@odata.type": "#microsoft.graph.user", "id": "..."}}.
 *
 * @param removedReason "changed" (soft-deleted) or "deleted" for tombstones; a tombstone keeps the
 *     last state
 * @param displayName displayName, or the UPN for users without one, or the id
 * @param link its link in the object's hash chain; empty for a version stored before chains (HISTORY.md)
 */
public record ObjectSnapshot(
    ObjectType type,
    String objectId,
    String versionId,
    String runId,
    Instant capturedAt,
    String contentHash,
    Optional<String> removedReason,
    String displayName,
    ObjectNode state,
    Optional<VersionLink> link) {

  /** A snapshot that carries no chain link (made in memory, or read from a row written before chains). */
  public ObjectSnapshot(ObjectType type, String objectId, String versionId, String runId, Instant capturedAt,
      String contentHash, Optional<String> removedReason, String displayName, ObjectNode state) {
    this(type, objectId, versionId, runId, capturedAt, contentHash, removedReason, displayName, state,
        Optional.empty());
  }

  public boolean isTombstone() {
    return removedReason.isPresent();
  }
}
