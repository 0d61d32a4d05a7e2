package io.entrabackup.cluster.restore;

import io.entrabackup.cluster.tenant.TenantSettings;
import io.entrabackup.protocol.tenant.TenantCommands;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;

/** The real restore: Graph writes planned from the snapshot store against the live directory. */
public final class GraphRestoreRunner implements RestoreRunner {

  private final RestorePlans plans;
  private final SkippedItemStore skippedItems;
  private final Duration askTimeout;

  public GraphRestoreRunner(ActorSystem<?> system, RestorePlans plans, SkippedItemStore skippedItems) {
    this.plans = plans;
    this.skippedItems = skippedItems;
    this.askTimeout = TenantSettings.create(system).askTimeout();
  }

  @Override
  public Behavior<?> run(RestoreSpec spec, ActorRef<TenantCommands.Command> tenant) {
    return RestoreRun.create(spec, tenant, plans, skippedItems, skippedItems.writes(), askTimeout);
  }
}
