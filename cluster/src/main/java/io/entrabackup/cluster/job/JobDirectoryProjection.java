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

/** Keeps System Status's job rows in step with the tenants' backup events; once in the cluster, at least once. */
public final class JobDirectoryProjection extends Handler<EventEnvelope<Event>> {

  private static final String NAME = "job-directory";

  private final JobStore jobs;

  private JobDirectoryProjection(JobStore jobs) {
    this.jobs = jobs;
  }

  public static void init(ActorSystem<?> system, JobStore jobs) {
    var projection = CassandraProjection.atLeastOnce(
        ProjectionId.of(NAME, TenantEvents.TAG),
        EventSourcedProvider.<Event>eventsByTag(system, CassandraReadJournal.Identifier(), TenantEvents.TAG),
        () -> new JobDirectoryProjection(jobs));
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, NAME, 1,
        index -> ProjectionBehavior.create(projection), ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }

  @Override
  public CompletionStage<Done> process(EventEnvelope<Event> envelope) {
    Event event = envelope.event();
    if (event instanceof BackupStarted started) {
      return jobs.record(started);
    } else if (event instanceof TypeBackedUp typeDone) {
      return jobs.record(typeDone);
    } else if (event instanceof BackupCompleted completed) {
      return jobs.record(completed);
    } else if (event instanceof BackupFailed failed) {
      return jobs.record(failed);
    }
    return CompletableFuture.completedFuture(Done.getInstance());
  }
}
