package io.entrabackup.cluster.backup;

import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantInternal;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A {@link BackupRunner} whose runs first wait for one of the node's {@link BackupSlots}: the run's actor asks for a
 * slot, tells its tenant when it got one (the job turns from queued to running), then becomes the real run. The slot
 * keeper watches the run's actor, so the slot is freed when that actor stops, however it stops. Graph pacing per
 * tenant is untouched: the real run reads through the same per-tenant gate as before.
 */
public final class QueuedBackupRunner implements BackupRunner {

  private final ActorRef<BackupSlots.Command> slots;
  private final BackupRunner runner;

  public QueuedBackupRunner(ActorRef<BackupSlots.Command> slots, BackupRunner runner) {
    this.slots = slots;
    this.runner = runner;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Behavior<?> run(BackupRunSpec spec, ActorRef<TenantCommands.Command> tenant) {
    return Behaviors.<Object>setup(context -> {
      ActorRef<BackupSlots.SlotGranted> self = context.getSelf().narrow();
      slots.tell(new BackupSlots.Wait(spec.tenantId(), spec.account(), spec.runId(), self));
      return Behaviors.receive(Object.class)
          .onMessage(BackupSlots.SlotGranted.class, granted -> {
            tenant.tell(new TenantInternal.BackupSlotTaken(spec.runId(), granted.grantedAt()));
            // The same actor goes on as the run, so the slot keeper's watch covers the run itself.
            return (Behavior<Object>) runner.run(spec, tenant);
          })
          .build();
    });
  }
}
