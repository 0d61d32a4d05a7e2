package io.entrabackup.cluster.download;

import io.entrabackup.protocol.download.BuiltFile;
import io.entrabackup.protocol.download.DownloadEvents.BuildStarted;
import io.entrabackup.protocol.download.DownloadEvents.DownloadFailed;
import io.entrabackup.protocol.download.DownloadEvents.DownloadPublished;
import io.entrabackup.protocol.download.DownloadEvents.DownloadRequested;
import io.entrabackup.protocol.download.DownloadEvents.Event;
import java.time.Instant;

/** A download job's life: not yet requested, building (attempt n), published, or failed. */
sealed interface DownloadJobState {

  DownloadJobState apply(Event event);

  /** An id nobody has started a job under. */
  record New() implements DownloadJobState {
    @Override
    public DownloadJobState apply(Event event) {
      return event instanceof DownloadRequested requested ? new Building(requested, 0) : this;
    }
  }

  /** @param attempt the latest attempt started (0 before the first) */
  record Building(DownloadRequested job, int attempt) implements DownloadJobState {
    @Override
    public DownloadJobState apply(Event event) {
      if (event instanceof BuildStarted started) {
        return new Building(job, started.attempt());
      }
      if (event instanceof DownloadPublished published) {
        return new Published(job, published);
      }
      if (event instanceof DownloadFailed failed) {
        return new Failed(job, failed);
      }
      return this;
    }
  }

  record Published(DownloadRequested job, DownloadPublished publication) implements DownloadJobState {
    @Override
    public DownloadJobState apply(Event event) {
      return this;
    }

    BuiltFile file() {
      return publication.file();
    }

    Instant expiresAt() {
      return publication.expiresAt();
    }
  }

  record Failed(DownloadRequested job, DownloadFailed failure) implements DownloadJobState {
    @Override
    public DownloadJobState apply(Event event) {
      return this;
    }
  }
}
