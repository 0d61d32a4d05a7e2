package io.entrabackup.cluster.backup;

import io.entrabackup.protocol.backup.ObjectType;

/** Hears how far a running backup has got, for System Status; best effort, never slows the run. */
@FunctionalInterface
public interface BackupProgress {

  BackupProgress NONE = (spec, type, seen) -> {};

  void seen(BackupRunSpec spec, ObjectType type, long seen);
}
