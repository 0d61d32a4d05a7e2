package io.entrabackup.protocol.backup;

import java.time.Instant;

/** One backed-up object in a type's list: its name and its latest version. */
public record ObjectItem(String id, String displayName, String versionId, Instant capturedAt, boolean deleted) {}
