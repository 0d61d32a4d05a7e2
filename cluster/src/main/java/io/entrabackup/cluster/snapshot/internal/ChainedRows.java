package io.entrabackup.cluster.snapshot.internal;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.cluster.snapshot.VersionChain;
import io.entrabackup.cluster.snapshot.VersionLink;
import io.entrabackup.protocol.TenantId;
import java.util.Optional;
import java.util.UUID;

/**
 * Links a new version row into its object's hash chain ({@link VersionChain}): from the previous version the writer
 * was given (what the crawl read as the object's latest version), or from the genesis when there is none or it was
 * written before chains. Its latest row copies the two columns with the rest.
 */
final class ChainedRows {

  private static final CqlIdentifier CHAIN_HASH = CqlIdentifier.fromInternal("chain_hash");
  private static final CqlIdentifier PREV_VERSION = CqlIdentifier.fromInternal("prev_version");

  private ChainedRows() {}

  static BoundStatement linked(BoundStatement versionRow, TenantId tenant, NewVersion version, UUID versionId,
      String contentHash, ChunkedReferences chunks, Optional<ObjectSnapshot> previous) {
    Optional<String> previousVersion = previous.map(ObjectSnapshot::versionId);
    String previousChain = previous.flatMap(ObjectSnapshot::link).map(VersionLink::chainHash)
        .orElse(VersionChain.GENESIS);
    String chainHash = VersionChain.hash(previousChain, new VersionChain.Link(tenant.value(),
        version.type().apiName(), version.objectId(), versionId.toString(), previousVersion, version.capturedAt(),
        version.removed(), contentHash, chunks.chunkIds()));
    BoundStatement row = versionRow.set(CHAIN_HASH, chainHash, TypeCodecs.TEXT);
    return previousVersion.isEmpty()
        ? row
        : row.set(PREV_VERSION, UUID.fromString(previousVersion.get()), TypeCodecs.TIMEUUID);
  }
}
