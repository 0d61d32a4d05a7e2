package io.entrabackup.cluster.download;

import io.entrabackup.protocol.approval.ApprovalDecision;
import io.entrabackup.protocol.download.BuiltFile;
import io.entrabackup.protocol.download.DownloadEvents.DownloadApprovalDecided;
import io.entrabackup.protocol.download.DownloadEvents.DownloadApprovalRequested;
import io.entrabackup.protocol.download.DownloadEvents.BuildStarted;
import io.entrabackup.protocol.download.DownloadEvents.DownloadFailed;
import io.entrabackup.protocol.download.DownloadEvents.DownloadPublished;
import io.entrabackup.protocol.download.DownloadEvents.DownloadRequested;
import java.time.Instant;
import java.util.Optional;

/**
 * A download job's life: not yet requested, (four-eyes) awaiting approval then closed unless approved, building
 * (attempt n), published, or failed. The entity's event handler
 * says which event moves which state (by type); the states only know how to take their step.
 */
sealed interface DownloadJobState {

  /** An id nobody has started a job under. */
  record New() implements DownloadJobState {
    Building requested(DownloadRequested job) {
      return new Building(job, 0);
    }

    AwaitingApproval awaiting(DownloadApprovalRequested request) {
      return new AwaitingApproval(request, Optional.empty());
    }
  }

  /**
   * Four-eyes: asked for, waiting for a second key's approval; nothing is built.
   *
   * @param approved the approval, once given (the job's {@link DownloadRequested} follows it at once)
   */
  record AwaitingApproval(DownloadApprovalRequested request, Optional<DownloadApprovalDecided> approved)
      implements DownloadJobState {

    DownloadJobState decided(DownloadApprovalDecided decision) {
      return decision.decision() == ApprovalDecision.APPROVED
          ? new AwaitingApproval(request, Optional.of(decision))
          : new Closed(request, decision);
    }

    Building requested(DownloadRequested job) {
      return new Building(job, 0, approved.map(decision -> new Approval(request, decision)));
    }

    /** The job as it will be built once approved: what its description row says meanwhile. */
    DownloadRequested asRequested() {
      return new DownloadRequested(request.jobId(), request.account(), request.tenant(), request.spec(),
          request.requestedAt());
    }
  }

  /** Four-eyes: rejected, or expired unapproved. Nothing was built. */
  record Closed(DownloadApprovalRequested request, DownloadApprovalDecided decision) implements DownloadJobState {}

  /** How an approved job came to be built. */
  record Approval(DownloadApprovalRequested request, DownloadApprovalDecided decision) {}

  /**
   * @param attempt the latest attempt started (0 before the first)
   * @param approval the four-eyes approval it waited for, if any
   */
  record Building(DownloadRequested job, int attempt, Optional<Approval> approval) implements DownloadJobState {
    Building(DownloadRequested job, int attempt) {
      this(job, attempt, Optional.empty());
    }

    Building started(BuildStarted started) {
      return new Building(job, started.attempt(), approval);
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
