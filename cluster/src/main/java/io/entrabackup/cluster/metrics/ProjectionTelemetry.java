package io.entrabackup.cluster.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.internal.Telemetry;

/**
 * How far behind the events our read models (tenant directory, job directory, audit trail: the projections) are, per
 * projection and tag, on the node that runs that projection instance. Pekko Projections hands every envelope to the
 * telemetry listed in {@code pekko.projection.telemetry.implementations} (node application.conf): the only hook it
 * offers, an internal but stable interface; a change to it fails our build, not a node at run time.
 *
 * <p>Lag: when an event has been processed, now minus the time it was written to the journal, kept until the next
 * event (a read model with nothing to do keeps the lag of its last event). It includes the events-by-tag query's
 * eventual-consistency delay (a few seconds by design), so a healthy read model shows about that; minutes mean it has
 * fallen behind. Events processed count the work done.
 */
public final class ProjectionTelemetry implements Telemetry {

  private final MeterRegistry registry;
  private final AtomicLong lagMillis = new AtomicLong();
  private final Counter processed;
  private final List<Meter> meters;

  public ProjectionTelemetry(ProjectionId projectionId, ActorSystem<?> system) {
    this.registry = NodeMetrics.get(system).registry();
    Tags tags = Tags.of("projection", projectionId.name(), "tag", projectionId.key());
    Gauge lag = Gauge.builder(NodeMetrics.PREFIX + "projection_lag_seconds", lagMillis, millis -> millis.get() / 1000.0)
        .description("Age of the last event a read model processed, when it processed it (its journal write to now)")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    // A gauge of the same id registered by an earlier instance (the projection restarted) reads that instance's
    // figure: registering replaces nothing, so the earlier one is removed when it stops (stopped()).
    this.processed = Counter.builder(NodeMetrics.PREFIX + "projection_events")
        .description("Events a read model processed on this node")
        .tags(tags)
        .register(registry);
    this.meters = List.of(lag);
  }

  @Override
  public <Envelope> Object beforeProcess(Envelope envelope, long creationTimeInMillis) {
    return envelope instanceof EventEnvelope<?> event ? event.timestamp() : null;
  }

  @Override
  public void afterProcess(Object writtenAt) {
    processed.increment();
    if (writtenAt instanceof Long millis && millis > 0) {
      lagMillis.set(Math.max(0, System.currentTimeMillis() - millis));
    }
  }

  @Override
  public void stopped() {
    meters.forEach(registry::remove);
  }

  @Override
  public void failed(Throwable cause) {
    // The projection restarts (its restart backoff): a new instance registers its gauge again.
    meters.forEach(registry::remove);
  }

  @Override
  public void onOffsetStored(int numberOfEnvelopes) { }

  @Override
  public void error(Throwable cause) { }
}
