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
    ObjectNode state) {

  public boolean isTombstone() {
    return removedReason.isPresent();
  }
}
