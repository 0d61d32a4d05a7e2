package io.entrabackup.cluster.snapshot;

import java.time.Instant;
import java.util.Optional;

/** One version of an object; {@code removed} is the tombstone's reason. */
public record VersionInfo(String versionId, Instant capturedAt, String runId, Optional<String> removed) {}
