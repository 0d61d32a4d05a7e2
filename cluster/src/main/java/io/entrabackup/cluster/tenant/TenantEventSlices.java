package io.entrabackup.cluster.tenant;

import io.entrabackup.cluster.metrics.ProjectionLag;
import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.SourceProvider;

/**
 * How the tenants' events are cut into slices for the read side: the tag each event carries (written by the tenant
 * entity) and one projection instance per slice and read model, spread over the cluster's nodes by a sharded daemon
 * process. Pekko Persistence Cassandra offers {@code eventsByTag}, not {@code eventsBySlices} (that is the R2DBC
 * plugin's), so slices are tags: {@code tenant-0} ... {@code tenant-(N-1)}.
 */
public final class TenantEventSlices implements Extension {

  /** The number of slices; fixed for the life of the cluster (see its comment in reference.conf). */
  public static final String SLICES_SETTING = "entra-backup.read-side.slices";

  private static final ExtensionId<TenantEventSlices> ID = new ExtensionId<>() {
    @Override
    public TenantEventSlices createExtension(ActorSystem<?> system) {
      return new TenantEventSlices(system.settings().config().getInt(SLICES_SETTING));
    }
  };

  private final int count;

  TenantEventSlices(int count) {
    if (count < 1) {
      throw new IllegalArgumentException(SLICES_SETTING + " must be at least 1, was " + count);
    }
    this.count = count;
  }

  public static TenantEventSlices get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  public int count() {
    return count;
  }

  /** The tag of this tenant's events: always the same one, so its events reach a read model in order. */
  public String tagFor(String persistenceId) {
    return TenantEvents.tag(TenantEvents.slice(persistenceId, count));
  }

  /** Every slice's tag, in slice order (instance {@code i} of a sliced projection reads {@code tags().get(i)}). */
  public List<String> tags() {
    return IntStream.range(0, count).mapToObj(TenantEvents::tag).toList();
  }

  /** The offset key of one read model's projection on one slice: each slice keeps its own offset. */
  public static ProjectionId projectionId(String readModel, String tag) {
    return ProjectionId.of(readModel, tag);
  }

  /** The events of one slice, as a projection reads them (Pekko Persistence Cassandra's own events-by-tag query). */
  public static SourceProvider<Offset, EventEnvelope<Event>> events(ActorSystem<?> system, String tag) {
    return events(system, CassandraReadJournal.Identifier(), tag);
  }

  /** The events of one slice through the read journal configured at {@code readJournal}. */
  public static SourceProvider<Offset, EventEnvelope<Event>> events(ActorSystem<?> system, String readJournal,
      String tag) {
    return EventSourcedProvider.eventsByTag(system, readJournal, tag);
  }

  /**
   * Runs a read model's projection sliced: a sharded daemon process of one instance per slice, each its own
   * projection (own offset), kept alive on some node of the cluster and moved when that node leaves.
   */
  public void run(ActorSystem<?> system, String readModel, Function<String, Projection<EventEnvelope<Event>>> perTag) {
    List<String> tags = tags();
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, readModel, count,
        index -> ProjectionBehavior.create(perTag.apply(tags.get(index))
            .withStatusObserver(ProjectionLag.of(system, readModel, tags.get(index)))),
        ShardedDaemonProcessSettings.create(system), Optional.of(ProjectionBehavior.stopMessage()));
  }
}
