package io.entrabackup.cluster.backup;

import io.entrabackup.cluster.tenant.TenantSettings;
import io.entrabackup.cluster.graph.read.RoundReader;
import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.protocol.tenant.TenantCommands;
import java.time.Clock;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;

/** The real backup: Graph delta rounds through {@link RoundReader} into the {@link SnapshotStore}. */
public final class GraphBackupRunner implements BackupRunner {

  private final TypeCrawler crawler;
  private final SnapshotStore store;
  private final BackupProgress progress;
  private final Duration askTimeout;

  public GraphBackupRunner(ActorSystem<?> system, RoundReader reader, SnapshotStore store, BackupProgress progress,
      Clock clock, int writeParallelism) {
    this.crawler = new TypeCrawler(reader, store, clock, writeParallelism, system);
    this.store = store;
    this.progress = progress;
    this.askTimeout = TenantSettings.create(system).askTimeout();
  }

  @Override
  public Behavior<?> run(BackupRunSpec spec, ActorRef<TenantCommands.Command> tenant) {
    return BackupRun.create(spec, tenant, crawler, store, progress, askTimeout);
  }
}
