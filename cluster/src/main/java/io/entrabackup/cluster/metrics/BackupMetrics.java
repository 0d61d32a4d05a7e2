package io.entrabackup.cluster.metrics;

import io.entrabackup.cluster.backup.BackupSlots;
import io.entrabackup.cluster.snapshot.WriteOutcome;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.tenant.TenantEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Backup runs on this node by trigger (scheduled, immediate, manual): how many hold a backup slot now, how many ended
 * completed or failed, and the object versions they stored per type (whose rate is objects per second).
 *
 * <p>Ends are counted where the tenant entity has persisted them, so a run's report sent twice (a retry after a lost
 * answer) counts once; the counters start at zero with the node, as Prometheus counters do ({@code rate()} and
 * {@code increase()} handle the reset).
 */
public final class BackupMetrics {

  private final MeterRegistry registry;
  private final TenantClasses classes;
  private final Map<BackupTrigger, AtomicInteger> running = new EnumMap<>(BackupTrigger.class);
  private final AtomicInteger waiting = new AtomicInteger();
  /** objects_written by "type/outcome". */
  private final Map<String, Counter> writtenCounters = new ConcurrentHashMap<>();

  BackupMetrics(MeterRegistry registry, TenantClasses classes) {
    this.registry = registry;
    this.classes = classes;
    for (BackupTrigger trigger : BackupTrigger.values()) {
      AtomicInteger count = new AtomicInteger();
      running.put(trigger, count);
      Gauge.builder(NodeMetrics.PREFIX + "backups_running", count, AtomicInteger::get)
          .description("Backup runs holding a backup slot on this node (reading Graph and storing)")
          .tag("trigger", name(trigger))
          .strongReference(true)
          .register(registry);
      // Present from the start at 0, so a dashboard's increase() sees the first completion.
      completed(trigger);
      failed(trigger);
    }
    Gauge.builder(NodeMetrics.PREFIX + "jobs_waiting", waiting, AtomicInteger::get)
        .description("Jobs of this kind waiting on this node for a slot to run")
        .tag("kind", "backup")
        .strongReference(true)
        .register(registry);
  }

  /** The backup runs waiting for a slot on this node now (the slot keeper tells after each change). */
  public void waitingForSlot(int runs) {
    waiting.set(runs);
  }

  /**
   * The run's behaviour, counted as running from the moment it is granted a backup slot ({@link BackupSlots.SlotGranted}
   * passes through it) until its actor stops, however it stops (completed, failed, crashed, its tenant passivated).
   */
  @SuppressWarnings("unchecked")
  public Behavior<?> counted(BackupTrigger trigger, Behavior<?> run) {
    AtomicInteger count = running.get(trigger);
    return Behaviors.intercept(() -> new BehaviorInterceptor<Object, Object>(Object.class) {
      private boolean holdsSlot;

      @Override
      public Behavior<Object> aroundReceive(TypedActorContext<Object> ctx, Object message, ReceiveTarget<Object> target) {
        if (message instanceof BackupSlots.SlotGranted && !holdsSlot) {
          holdsSlot = true;
          count.incrementAndGet();
        }
        return target.apply(ctx, message);
      }

      @Override
      public Behavior<Object> aroundSignal(TypedActorContext<Object> ctx, Signal signal, SignalTarget<Object> target) {
        if (signal instanceof PostStop && holdsSlot) {
          holdsSlot = false;
          count.decrementAndGet();
        }
        return target.apply(ctx, signal);
      }
    }, (Behavior<Object>) run);
  }

  /**
   * A run's end as the tenant entity persisted it ({@code events}: {@code BackupCompleted} or {@code BackupFailed},
   * perhaps with others); a completed run also tells the tenant's size class.
   */
  public void ended(BackupTrigger trigger, List<TenantEvents.Event> events, Optional<String> entraTenantId) {
    for (TenantEvents.Event event : events) {
      if (event instanceof TenantEvents.BackupCompleted completed) {
        completed(trigger).increment();
        entraTenantId.ifPresent(id -> classes.sized(id, completed.objectCounts()));
      } else if (event instanceof TenantEvents.BackupFailed) {
        failed(trigger).increment();
      }
    }
  }

  /** A version the run stored (created, changed or removed); an object found unchanged stores nothing. */
  public Done written(ObjectType type, WriteOutcome outcome) {
    String kind = switch (outcome) {
      case NEW -> "created";
      case CHANGED -> "changed";
      case REMOVED -> "removed";
      case UNCHANGED, ALREADY_REMOVED -> null;
    };
    if (kind != null) {
      // Called once per object stored: the counter is looked up, not built and registered again each time.
      writtenCounters.computeIfAbsent(type.apiName() + "/" + kind, key -> Counter.builder(NodeMetrics.PREFIX
              + "objects_written")
          .description("Object versions backup runs stored, by object type and what the version is")
          .tag("type", type.apiName())
          .tag("outcome", kind)
          .register(registry)).increment();
    }
    return Done.getInstance();
  }

  private Counter completed(BackupTrigger trigger) {
    return Counter.builder(NodeMetrics.PREFIX + "backups_completed")
        .description("Backup runs that completed on this node")
        .tag("trigger", name(trigger))
        .register(registry);
  }

  private Counter failed(BackupTrigger trigger) {
    return Counter.builder(NodeMetrics.PREFIX + "backups_failed")
        .description("Backup runs that failed on this node")
        .tag("trigger", name(trigger))
        .register(registry);
  }

  /** As the API names it: {@code scheduled}, {@code immediate}, {@code manual}. */
  static String name(BackupTrigger trigger) {
    return trigger.name().toLowerCase(Locale.ROOT);
  }
}
