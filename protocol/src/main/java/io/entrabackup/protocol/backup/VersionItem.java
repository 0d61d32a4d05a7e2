package io.entrabackup.protocol.backup;

import java.time.Instant;
import java.util.Optional;

/**
 * One stored version of an object.
 *
 * @param removed {@code changed} (soft-deleted) or {@code deleted} when this version is a tombstone
 */
public record VersionItem(String versionId, Instant capturedAt, String runId, Optional<String> removed) {}
