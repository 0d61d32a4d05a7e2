package io.entrabackup.cluster.tenant;

import io.entrabackup.protocol.tenant.TenantEvents.Event;
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
    return directory.record(envelope.event());
  }
}
