package io.entrabackup.cluster.tenant;

import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationLost;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationRefused;
import io.entrabackup.protocol.tenant.TenantEvents.BackupCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.BackupFailed;
import io.entrabackup.protocol.tenant.TenantEvents.BackupStarted;
import io.entrabackup.protocol.tenant.TenantEvents.TenantAuthorized;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * Keeps {@code tenants_by_account} in step with tenant events. Runs sliced across the cluster (one instance per slice
 * of the tenants, {@link TenantEventSlices}), at least once per event: every write is an idempotent upsert at the
 * event's own write time, so a repeat or a late write never undoes a newer one ({@link TenantDirectory}).
 */
public final class TenantDirectoryProjection extends Handler<EventEnvelope<Event>> {

  private static final String NAME = "tenant-directory";

  private final TenantDirectory directory;

  private TenantDirectoryProjection(TenantDirectory directory) {
    this.directory = directory;
  }

  /** One projection instance per slice of the tenants' events ({@link TenantEventSlices}). */
  public static void init(ActorSystem<?> system, TenantDirectory directory) {
    TenantEventSlices.get(system).run(system, NAME, tag -> CassandraProjection.atLeastOnce(
        TenantEventSlices.projectionId(NAME, tag), TenantEventSlices.events(system, tag),
        () -> new TenantDirectoryProjection(directory)));
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
    } else if (event instanceof BackupStarted started) {
      return directory.record(started);
    } else if (event instanceof BackupCompleted completed) {
      return directory.record(completed);
    } else if (event instanceof BackupFailed failed) {
      return directory.record(failed);
    }
    // Consent requests change nothing the dashboard shows.
    return CompletableFuture.completedFuture(Done.getInstance());
  }
}
