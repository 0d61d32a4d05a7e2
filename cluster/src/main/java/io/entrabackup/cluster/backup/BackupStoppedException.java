package io.entrabackup.cluster.backup;

/** Why a crawl ended early: its run stopped it, because another of its crawls failed or the run itself stopped. */
final class BackupStoppedException extends RuntimeException {
  BackupStoppedException(String message) {
    super(message, null, false, false);
  }
}
