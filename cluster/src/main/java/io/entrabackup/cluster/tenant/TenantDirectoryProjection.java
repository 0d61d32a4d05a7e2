package io.entrabackup.cluster.tenant;

import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationLost;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationRefused;
import io.entrabackup.protocol.tenant.TenantEvents.BackupCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.BackupFailed;
import io.entrabackup.protocol.tenant.TenantEvents.TenantAuthorized;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.Handler;
import org.apache.pekko.projection.javadsl.SourceProvider;

/**
 * Keeps {@code tenants_by_account} in step with tenant events. Runs once in the cluster (a sharded
 * daemon process), at least once per event: every write is an idempotent upsert.
 */
public final class TenantDirectoryProjection extends Handler<EventEnvelope<Event>> {

  private static final String NAME = "tenant-directory";

  private final TenantDirectory directory;

  private TenantDirectoryProjection(TenantDirectory directory) {
    this.directory = directory;
  }

  public static void init(ActorSystem<?> system, TenantDirectory directory) {
    SourceProvider<Offset, EventEnvelope<Event>> events =
        EventSourcedProvider.eventsByTag(system, CassandraReadJournal.Identifier(), TenantEvents.TAG);
    var projection =
        CassandraProjection.atLeastOnce(
            ProjectionId.of(NAME, TenantEvents.TAG),
            events,
            () -> new TenantDirectoryProjection(directory));
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            NAME,
            1,
            index -> ProjectionBehavior.create(projection),
            ShardedDaemonProcessSettings.create(system),
            Optional.of(ProjectionBehavior.stopMessage()));
  }

  @Override
  public CompletionStage<Done> process(EventEnvelope<Event> envelope) {
    Event event = envelope.event();
    if (event instanceof TenantRegistered registered) {
      return directory.record(registered);
    } else if (event instanceof TenantAuthorized authorized) {
      return directory.record(authorized);
    } else if (event instanceof AuthorizationRefused refused) {
      return directory.record(refused);
    } else if (event instanceof AuthorizationLost lost) {
      return directory.record(lost);
    } else if (event instanceof BackupCompleted completed) {
      return directory.record(completed);
    } else if (event instanceof BackupFailed failed) {
      return directory.record(failed);
    }
    // Consent requests change nothing the dashboard shows.
    return CompletableFuture.completedFuture(Done.getInstance());
  }
}
