package io.entrabackup.cluster.snapshot;

import java.util.Optional;

/**
 * A stored version's link in its object's hash chain (cluster/HISTORY.md): its chain hash, and the version it follows
 * (none for the object's first version). A version written before chains has none.
 */
public record VersionLink(Optional<String> previousVersion, String chainHash) {}
