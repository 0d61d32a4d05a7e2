package io.entrabackup.cluster.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.HandlerRecoveryStrategy;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.StatusObserver;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * How far behind the events one read model's projection instance is (tenant directory, job directory, audit trail: one
 * instance per event slice), on the node that runs it: Pekko Projections tells a projection's {@link StatusObserver} of
 * every envelope it processed, and {@code TenantEventSlices} gives every sliced projection one of these.
 *
 * <p>Lag: when an event has been processed, now minus the time it was written to the journal, kept until the next
 * event (a read model with nothing to do keeps the lag of its last event, rather than one that grows while it idles).
 * It includes the events-by-tag query's eventual-consistency delay (seconds, by design), so a healthy read model shows
 * about that; minutes mean it has fallen behind. The events counter counts the work done.
 */
public final class ProjectionLag<Event> extends StatusObserver<EventEnvelope<Event>> {

  private final MeterRegistry registry;
  private final Clock clock;
  private final Tags tags;
  private final AtomicLong lagMillis = new AtomicLong();
  private final Counter processed;
  private Gauge lag;

  private ProjectionLag(MeterRegistry registry, Clock clock, String readModel, String tag) {
    this.registry = registry;
    this.clock = clock;
    this.tags = Tags.of("projection", readModel, "tag", tag);
    this.processed = Counter.builder(NodeMetrics.PREFIX + "projection_events")
        .description("Events a read model processed on this node")
        .tags(tags)
        .register(registry);
  }

  /** The observer of one instance ({@code tag}) of the read model's projection on this node. */
  public static <Event> ProjectionLag<Event> of(ActorSystem<?> system, String readModel, String tag) {
    return new ProjectionLag<>(NodeMetrics.get(system).registry(), Clock.systemUTC(), readModel, tag);
  }

  @Override
  public void started(ProjectionId projectionId) {
    // Shown only while the instance runs here: a slice moved to another node is that node's figure.
    lag = Gauge.builder(NodeMetrics.PREFIX + "projection_lag_seconds", lagMillis, millis -> millis.get() / 1000.0)
        .description("Age of the last event a read model processed, when it processed it (journal write to now)")
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }

  @Override
  public void afterProcess(ProjectionId projectionId, EventEnvelope<Event> envelope) {
    processed.increment();
    if (envelope.timestamp() > 0) {
      lagMillis.set(Math.max(0, clock.millis() - envelope.timestamp()));
    }
  }

  @Override
  public void stopped(ProjectionId projectionId) {
    if (lag != null) {
      registry.remove(lag);
      lag = null;
    }
  }

  @Override
  public void failed(ProjectionId projectionId, Throwable cause) { }

  @Override
  public void beforeProcess(ProjectionId projectionId, EventEnvelope<Event> envelope) { }

  @Override
  public void offsetProgress(ProjectionId projectionId, EventEnvelope<Event> envelope) { }

  @Override
  public void error(ProjectionId projectionId, EventEnvelope<Event> envelope, Throwable cause,
      HandlerRecoveryStrategy recoveryStrategy) { }
}
