package io.entrabackup.node;

import io.entrabackup.cluster.tenant.AdminConsent;
import java.util.function.Function;
import io.entrabackup.cluster.audit.AuditProjection;
import io.entrabackup.cluster.audit.AuditTrail;
import io.entrabackup.cluster.download.DownloadStore;
import io.entrabackup.cluster.store.CassandraSettings;
import io.entrabackup.http.audit.AuditClient;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.audit.AuditEntry;
import io.entrabackup.protocol.audit.ChainCheck;
import io.entrabackup.protocol.audit.NewAuditRecord;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * The API's audit trail on the cluster side: the trail in Cassandra (the node's own session), its projection of tenant
 * events (started once the schema is in place), and the download table for whose job a signed link fetched.
 */
final class ClusterAuditClient implements AuditClient {

  private final AuditTrail trail;
  private final DownloadStore downloads;
  private final Clock clock;
  private final int scanBudget;
  private final Function<String, Optional<StateOwner>> consentStates;

  private ClusterAuditClient(AuditTrail trail, DownloadStore downloads, Clock clock, int scanBudget,
      Function<String, Optional<StateOwner>> consentStates) {
    this.consentStates = consentStates;
    this.trail = trail;
    this.downloads = downloads;
    this.clock = clock;
    this.scanBudget = scanBudget;
  }

  static ClusterAuditClient start(ActorSystem<?> system, CompletionStage<Done> schemaReady, Clock clock,
      int scanBudget, AdminConsent consent) {
    CassandraSession session = CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create(CassandraSettings.SESSION_CONFIG_PATH));
    String keyspace = CassandraSettings.create(system).keyspace();
    var trail = new AuditTrail(session::underlying, keyspace);
    schemaReady.thenRun(() -> AuditProjection.init(system, trail));
    return new ClusterAuditClient(trail, new DownloadStore(session, keyspace), clock, scanBudget,
        state -> consent.stateSignedFor(state)
            .map(owner -> new StateOwner(owner.getKey(), owner.getValue().value())));
  }

  @Override
  public Optional<StateOwner> consentStateOwner(String state) {
    return consentStates.apply(state);
  }

  @Override
  public CompletionStage<AuditEntry> append(NewAuditRecord record) {
    return trail.append(record);
  }

  @Override
  public CompletionStage<Page> list(String account, Predicate<AuditEntry> filter, Optional<Long> before, int limit) {
    return trail.page(account, before, filter, limit, Math.max(scanBudget, limit))
        .thenApply(page -> new Page(page.entries(), page.next()));
  }

  @Override
  public CompletionStage<ChainCheck> verify(String account) {
    return trail.verify(account);
  }

  @Override
  public CompletionStage<Boolean> firstUseFrom(AccountId account, String keyId, String address) {
    return trail.firstUseFrom(account.value(), keyId, address, clock.instant());
  }

  @Override
  public CompletionStage<Optional<DownloadOwner>> downloadOwner(String jobId) {
    try {
      // Job ids are time UUIDs; Cassandra refuses to look up any other kind (the fuzz's nil UUID), so none is a job.
      if (UUID.fromString(jobId).version() != 1) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return downloads.job(jobId)
        .thenApply(job -> job.map(found -> new DownloadOwner(found.account(), found.tenant().value())));
  }
}
