package io.entrabackup.cluster.job;

import io.entrabackup.cluster.tenant.TenantEventSlices;
import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.protocol.tenant.TenantEvents.BackupCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.BackupFailed;
import io.entrabackup.protocol.tenant.TenantEvents.BackupStarted;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.TypeBackedUp;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * Keeps System Status's job rows in step with the tenants' backup and restore events: one instance per slice of the
 * tenants ({@link TenantEventSlices}), at least once; every write is an upsert that a repeat or a late write cannot
 * move back ({@link JobsByAccount}).
 */
public final class JobDirectoryProjection extends Handler<EventEnvelope<Event>> {

  private static final String NAME = "job-directory";

  /**
   * The same projection once more, through an events-by-tag query with a short eventual-consistency delay, so that
   * job lists follow their jobs within a second. That delay is too short to be safe alone (an event written by a node
   * whose clock is behind can be passed over); it need not be: every write here is an upsert that lands right in any
   * order and any number of times, and the projection above, with the safe delay, writes every event again.
   */
  private static final String PROMPT_NAME = "job-directory-prompt";

  /** The prompt copy's read journal (node persistence.conf); absent, there is none. */
  static final String PROMPT_READ_JOURNAL = "entra-backup.read-side.prompt-events.query";

  private final JobStore jobs;
  private final Optional<RestoreJobs> restores;
  private final Optional<RestoreApprovalRows> approvals;

  private JobDirectoryProjection(JobStore jobs, Optional<RestoreJobs> restores) {
    this.jobs = jobs;
    this.restores = restores;
    this.approvals = restores.map(RestoreJobs::approvalRows);
  }

  public static void init(ActorSystem<?> system, JobStore jobs) {
    init(system, jobs, Optional.empty());
  }

  /**
   * With restore jobs too (their rows and details come from the tenants' restore events). One instance per slice,
   * and a prompt copy beside it when configured ({@link #PROMPT_READ_JOURNAL}).
   */
  public static void init(ActorSystem<?> system, JobStore jobs, Optional<RestoreJobs> restores) {
    TenantEventSlices slices = TenantEventSlices.get(system);
    slices.run(system, NAME, tag -> CassandraProjection.atLeastOnce(
        TenantEventSlices.projectionId(NAME, tag), TenantEventSlices.events(system, tag),
        () -> new JobDirectoryProjection(jobs, restores)));
    if (system.settings().config().hasPath(PROMPT_READ_JOURNAL)) {
      slices.run(system, PROMPT_NAME, tag -> CassandraProjection.atLeastOnce(
          TenantEventSlices.projectionId(PROMPT_NAME, tag),
          TenantEventSlices.events(system, PROMPT_READ_JOURNAL, tag),
          () -> new JobDirectoryProjection(jobs, restores)));
    }
  }

  @Override
  public CompletionStage<Done> process(EventEnvelope<Event> envelope) {
    Event event = envelope.event();
    if (event instanceof BackupStarted started) {
      return jobs.record(started);
    } else if (event instanceof TenantEvents.BackupRunning running) {
      return jobs.record(running);
    } else if (event instanceof TypeBackedUp typeDone) {
      return jobs.record(typeDone);
    } else if (event instanceof BackupCompleted completed) {
      return jobs.record(completed);
    } else if (event instanceof BackupFailed failed) {
      return jobs.record(failed);
    } else if (approvals.isPresent() && isApproval(event)) {
      return approval(approvals.get(), event);
    } else if (restores.isPresent()) {
      return restore(restores.get(), event);
    }
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  private static CompletionStage<Done> restore(RestoreJobs restores, Event event) {
    if (event instanceof TenantEvents.RestoreRequested requested) {
      return restores.record(requested);
    } else if (event instanceof TenantEvents.RestoreStarted started) {
      return restores.record(started);
    } else if (event instanceof TenantEvents.RestoreObjectRecreated recreated) {
      return restores.record(recreated);
    } else if (event instanceof TenantEvents.RestoreCompleted completed) {
      return restores.record(completed);
    } else if (event instanceof TenantEvents.RestoreFailed failed) {
      return restores.record(failed);
    }
    return RestoreJobs.done();
  }

  private static boolean isApproval(Event event) {
    return event instanceof TenantEvents.RestoreApprovalRequested || event instanceof TenantEvents.RestoreApproved
        || event instanceof TenantEvents.RestoreApprovalRejected || event instanceof TenantEvents.RestoreApprovalExpired;
  }

  private static CompletionStage<Done> approval(RestoreApprovalRows rows, Event event) {
    if (event instanceof TenantEvents.RestoreApprovalRequested requested) {
      return rows.record(requested);
    } else if (event instanceof TenantEvents.RestoreApproved approved) {
      return rows.record(approved);
    } else if (event instanceof TenantEvents.RestoreApprovalRejected rejected) {
      return rows.record(rejected);
    }
    return rows.record((TenantEvents.RestoreApprovalExpired) event);
  }
}
