package io.entrabackup.cluster.snapshot;

import java.time.Instant;
import java.util.Optional;

/** An object in a list: its latest version, and whether that version is a tombstone. */
public record ObjectSummary(String id, String displayName, String versionId, Instant capturedAt, boolean deleted,
    Optional<String> detail) {}
