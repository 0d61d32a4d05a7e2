package io.entrabackup.cluster.snapshot;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One version row as verification reads it: what its chain link commits to, and the link it stores (none for a row
 * written before chains).
 */
public record StoredLink(String versionId, Instant capturedAt, Optional<String> removed, String contentHash,
    Map<String, List<String>> chunkIds, Optional<VersionLink> link) {}
