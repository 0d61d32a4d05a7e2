package io.entrabackup.cluster.backup;

import io.entrabackup.cluster.metrics.NodeMetrics;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.CborSerializable;
import io.entrabackup.protocol.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The node's backup slots: at most {@code max} backup runs read Graph at once on this node; the others wait in a
 * {@link BackupQueue} (fair across accounts) and start as slots free. One per node, local only: tenants' runs on
 * this node ask it, and it watches every run that holds or waits for a slot, so a slot is freed however the run
 * ends (completed, failed, crashed, its tenant passivated or handed off to another node: the run's actor stops in
 * every case).
 */
public final class BackupSlots extends AbstractBehavior<BackupSlots.Command> {

  /** What the slot keeper is asked. */
  public sealed interface Command {}

  /** A run asks for a slot; {@code run} is answered {@link SlotGranted} once it may start. */
  public record Wait(TenantId tenantId, AccountId account, String runId, ActorRef<SlotGranted> run)
      implements Command {}

  /** The answer to {@link Wait}: the run may read Graph now. */
  public record SlotGranted(String runId, Instant grantedAt) implements CborSerializable {}

  /** What runs hold slots and what waits, for System Status, tests and the benchmark. */
  public record GetSlots(ActorRef<Slots> replyTo) implements Command {}

  /**
   * @param running run ids holding a slot
   * @param waiting run ids waiting, in the order they would start
   * @param peakRunning the most runs that held slots at once since the node started
   * @param granted slots given since the node started
   */
  public record Slots(int max, List<String> running, List<String> waiting, int peakRunning, long granted)
      implements CborSerializable {}

  private record RunStopped(ActorRef<SlotGranted> run) implements Command {}

  private record Waiting(TenantId tenantId, String runId, ActorRef<SlotGranted> run, Instant since) {}

  private final int max;
  private final Clock clock;
  private final BackupQueue<Waiting> queue = new BackupQueue<>();
  private final Map<ActorRef<SlotGranted>, String> running = new HashMap<>();
  private int peakRunning;
  private long granted;

  /** The slot keeper of a node allowing {@code max} concurrent backup runs (at least one). */
  public static Behavior<Command> create(int max, Clock clock) {
    return Behaviors.setup(context -> new BackupSlots(context, Math.max(1, max), clock));
  }

  private BackupSlots(ActorContext<Command> context, int max, Clock clock) {
    super(context);
    this.max = max;
    this.clock = clock;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Wait.class, this::onWait)
        .onMessage(RunStopped.class, this::onRunStopped)
        .onMessage(GetSlots.class, this::onGetSlots)
        .build();
  }

  private Behavior<Command> onWait(Wait wait) {
    if (running.containsKey(wait.run())) {
      return this;
    }
    getContext().watchWith(wait.run(), new RunStopped(wait.run()));
    queue.add(wait.account(), new Waiting(wait.tenantId(), wait.runId(), wait.run(), clock.instant()));
    grantFreeSlots();
    return this;
  }

  private Behavior<Command> onRunStopped(RunStopped stopped) {
    if (running.remove(stopped.run()) == null) {
      queue.remove(waiting -> waiting.run().equals(stopped.run()));
    }
    grantFreeSlots();
    return this;
  }

  private Behavior<Command> onGetSlots(GetSlots get) {
    get.replyTo().tell(new Slots(max, List.copyOf(running.values()),
        queue.inServiceOrder().stream().map(Waiting::runId).toList(), peakRunning, granted));
    return this;
  }

  private void grantFreeSlots() {
    while (running.size() < max && queue.size() > 0) {
      Waiting next = queue.next().orElseThrow();
      running.put(next.run(), next.runId());
      peakRunning = Math.max(peakRunning, running.size());
      granted++;
      Instant now = clock.instant();
      if (now.isAfter(next.since().plusSeconds(60))) {
        getContext().getLog().debug("Tenant {}: backup {} waited {} s for a slot on this node", next.tenantId(),
            next.runId(), now.getEpochSecond() - next.since().getEpochSecond());
      }
      next.run().tell(new SlotGranted(next.runId(), now));
    }
    NodeMetrics.get(getContext().getSystem()).backups().waitingForSlot(queue.size());
  }
}
