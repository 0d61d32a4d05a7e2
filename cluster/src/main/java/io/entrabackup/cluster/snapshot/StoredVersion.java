package io.entrabackup.cluster.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.protocol.backup.ObjectType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A version as its row holds it, unparsed: the object's own properties as the stored (packed) canonical JSON text and,
 * per reference set (members, owners, in that order), the JSON array texts of its chunks in order. What a
 * download streams into its files without building a tree; {@link #snapshot()} parses it for everything else.
 *
 * @param references relation to its chunks' JSON arrays (only the relations the version has)
 * @param link its link in the object's hash chain; empty for a version stored before chains (HISTORY.md)
 */
public record StoredVersion(
    ObjectType type,
    String objectId,
    String versionId,
    String runId,
    Instant capturedAt,
    String contentHash,
    Optional<String> removedReason,
    String displayName,
    PackedState properties,
    Map<String, List<String>> references,
    Optional<VersionLink> link) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A version that carries no chain link (made in memory, or read from a row written before chains). */
  public StoredVersion(ObjectType type, String objectId, String versionId, String runId, Instant capturedAt,
      String contentHash, Optional<String> removedReason, String displayName, PackedState properties,
      Map<String, List<String>> references) {
    this(type, objectId, versionId, runId, capturedAt, contentHash, removedReason, displayName, properties,
        references, Optional.empty());
  }

  public boolean isTombstone() {
    return removedReason.isPresent();
  }

  /** The version with its state as one JSON tree (members and owners as arrays after the properties). */
  public ObjectSnapshot snapshot() {
    ObjectNode state = (ObjectNode) parse(properties.text());
    references.forEach((relation, chunks) -> {
      ArrayNode all = state.putArray(relation);
      chunks.forEach(chunk -> parse(chunk).forEach(all::add));
    });
    return new ObjectSnapshot(type, objectId, versionId, runId, capturedAt, contentHash, removedReason, displayName,
        state, link);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored snapshot is not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
