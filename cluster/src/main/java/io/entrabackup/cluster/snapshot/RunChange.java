package io.entrabackup.cluster.snapshot;

import io.entrabackup.protocol.backup.ObjectType;

/** A version a backup run wrote (NEW, CHANGED or REMOVED). */
public record RunChange(ObjectType type, String objectId, String versionId, WriteOutcome outcome) {}
