package io.entrabackup.cluster.snapshot;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stored version's link in its object's hash chain (cluster/HISTORY.md): its chain hash, the version it follows (none
 * for the object's first version), and the chunk ids of its reference sets, which the chain hash commits to beside the
 * content hash. They are keyed hashes, like the content hash, so a download's manifest carries them for an offline check
 * to recompute a link without the tenant's key. A version written before chains has no link.
 */
public record VersionLink(Optional<String> previousVersion, String chainHash, Map<String, List<String>> chunkIds) {}
