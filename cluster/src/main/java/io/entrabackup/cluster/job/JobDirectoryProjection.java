package io.entrabackup.cluster.job;

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
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.Handler;

/** Keeps System Status's job rows in step with the tenants' backup and restore events; once in the cluster, at least once. */
public final class JobDirectoryProjection extends Handler<EventEnvelope<Event>> {

  private static final String NAME = "job-directory";

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

  /** With restore jobs too (their rows and details come from the tenants' restore events). */
  public static void init(ActorSystem<?> system, JobStore jobs, Optional<RestoreJobs> restores) {
    var projection = CassandraProjection.atLeastOnce(
        ProjectionId.of(NAME, TenantEvents.TAG),
        EventSourcedProvider.<Event>eventsByTag(system, CassandraReadJournal.Identifier(), TenantEvents.TAG),
        () -> new JobDirectoryProjection(jobs, restores));
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, NAME, 1,
        index -> ProjectionBehavior.create(projection), ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
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
