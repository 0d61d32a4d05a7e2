package io.entrabackup.cluster.download;

import io.entrabackup.protocol.download.BuiltFile;
import io.entrabackup.protocol.download.DownloadEvents.BuildStarted;
import io.entrabackup.protocol.download.DownloadEvents.DownloadFailed;
import io.entrabackup.protocol.download.DownloadEvents.DownloadPublished;
import io.entrabackup.protocol.download.DownloadEvents.DownloadRequested;
import java.time.Instant;

/**
 * A download job's life: not yet requested, building (attempt n), published, or failed. The entity's event handler
 * says which event moves which state (by type); the states only know how to take their step.
 */
sealed interface DownloadJobState {

  /** An id nobody has started a job under. */
  record New() implements DownloadJobState {
    Building requested(DownloadRequested job) {
      return new Building(job, 0);
    }
  }

  /** @param attempt the latest attempt started (0 before the first) */
  record Building(DownloadRequested job, int attempt) implements DownloadJobState {
    Building started(BuildStarted started) {
      return new Building(job, started.attempt());
    }

    Published published(DownloadPublished publication) {
      return new Published(job, publication);
    }

    Failed failed(DownloadFailed failure) {
      return new Failed(job, failure);
    }
  }

  record Published(DownloadRequested job, DownloadPublished publication) implements DownloadJobState {
    BuiltFile file() {
      return publication.file();
    }

    Instant expiresAt() {
      return publication.expiresAt();
    }
  }

  record Failed(DownloadRequested job, DownloadFailed failure) implements DownloadJobState {}
}
