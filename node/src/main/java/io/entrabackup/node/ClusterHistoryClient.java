package io.entrabackup.node;

import io.entrabackup.cluster.history.HistoryVerifier;
import io.entrabackup.cluster.store.CassandraSettings;
import io.entrabackup.http.history.HistoryClient;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * The history route's view of the cluster: a walk of the tenant's versions ({@link HistoryVerifier}) once the tenant
 * entity confirmed the tenant is the caller's, and only while the node runs fewer than
 * {@code entra-backup.history.max-verifications-per-node} (each walk reads a whole tenant from Cassandra).
 */
final class ClusterHistoryClient implements HistoryClient {

  /** How long an answered walk may wait for its response to start streaming before its permit is given back. */
  private static final Duration UNSTARTED_WALK = Duration.ofMinutes(1);

  private final TenantOwnership ownership;
  private final HistoryVerifier verifier;
  private final Semaphore running;

  private ClusterHistoryClient(TenantOwnership ownership, HistoryVerifier verifier, int maxRunning) {
    this.ownership = ownership;
    this.verifier = verifier;
    this.running = new Semaphore(maxRunning);
  }

  static ClusterHistoryClient start(ActorSystem<?> system, TenantOwnership ownership) {
    CassandraSession session = CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create(CassandraSettings.SESSION_CONFIG_PATH));
    var config = system.settings().config().getConfig("entra-backup.history");
    var verifier = new HistoryVerifier(session::underlying, CassandraSettings.create(system).keyspace(),
        config.getInt("verify-parallelism"));
    return new ClusterHistoryClient(ownership, verifier, config.getInt("max-verifications-per-node"));
  }

  @Override
  public CompletionStage<Outcome> verify(Caller caller, TenantId tenant) {
    return ownership.tenant(caller.account(), tenant).thenApply(view -> {
      if (view.isEmpty()) {
        return new Outcome.NotFound();
      }
      if (!running.tryAcquire()) {
        return new Outcome.Busy();
      }
      // The permit goes back when the walk ends, however it ends (done, failed, or the client went away); and if the
      // walk never starts (a client gone before its response was rendered), after a while, so none is lost for good.
      AtomicBoolean started = new AtomicBoolean();
      AtomicBoolean released = new AtomicBoolean();
      Runnable release = () -> {
        if (released.compareAndSet(false, true)) {
          running.release();
        }
      };
      CompletableFuture.delayedExecutor(UNSTARTED_WALK.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
        if (!started.get()) {
          release.run();
        }
      });
      return new Outcome.Walking(verifier.verify(tenant)
          .watchTermination((notUsed, done) -> {
            started.set(true);
            done.whenComplete((ok, error) -> release.run());
            return notUsed;
          }));
    });
  }
}
