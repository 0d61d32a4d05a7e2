package io.entrabackup.cluster.snapshot;

import io.entrabackup.cluster.store.HashFields;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hash chain of an object's versions (cluster/HISTORY.md): a version's {@code chain_hash} is SHA-256 over the
 * chain hash of the object's version before it (or {@link #GENESIS}) and everything that says what the version is:
 * tenant, type, object id, version id, the version it follows, capture time, removal, its content hash and the chunk
 * ids of each reference set. Only values the row stores as they are (ids and the content hash, never the state's
 * bytes), so the chain is the same whether the state is stored in clear or encrypted, and whatever the content hash
 * is computed with.
 */
public final class VersionChain {

  /**
   * The previous chain hash of an object's first chained version: its first version, and also the first version
   * written after versions from before chains (those carry no chain hash to follow).
   */
  public static final String GENESIS = "0".repeat(64);
  private static final String FORMAT = "entra-backup history v1";

  private VersionChain() {}

  /** What a version's link commits to, as its row stores it. */
  public record Link(String tenant, String type, String objectId, String versionId, Optional<String> previousVersion,
      Instant capturedAt, Optional<String> removed, String contentHash, Map<String, List<String>> chunkIds) {}

  /** The chain hash of {@code link} following a version whose chain hash is {@code previousChainHash}. */
  public static String hash(String previousChainHash, Link link) {
    HashFields fields = new HashFields(FORMAT)
        .add(previousChainHash)
        .add(link.tenant())
        .add(link.type())
        .add(link.objectId())
        .add(link.versionId())
        .add(link.previousVersion())
        // Milliseconds since the epoch: what a Cassandra timestamp keeps, so a stored version hashes as written.
        .add(Long.toString(link.capturedAt().toEpochMilli()))
        .add(link.removed())
        .add(link.contentHash());
    for (String relation : References.PROPERTIES) {
      List<String> ids = link.chunkIds().get(relation);
      // A relation the state has not (absent) differs from one it has empty: "0" ids.
      fields.add(ids == null ? Optional.empty() : Optional.of(relation));
      if (ids != null) {
        fields.add(Integer.toString(ids.size()));
        ids.forEach(fields::add);
      }
    }
    return fields.sha256Hex();
  }
}
