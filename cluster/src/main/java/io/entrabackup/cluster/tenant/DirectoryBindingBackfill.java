package io.entrabackup.cluster.tenant;

import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every tenant authorized before {@code directory_bindings} existed its binding, on every node start
 * (cluster/CONSENT.md, "Directories authorized before bindings"). Per directory of the read model: one tenant claims it;
 * several tenants claiming one unbound directory make it disputed, each of them stopped until one consents again
 * through the sign-in; a tenant whose directory another tenant holds is stopped too.
 *
 * <p>Every node runs it, not a cluster singleton, on purpose: each decision is a lightweight transaction on the
 * directory's row (claim, or record the dispute only while no row exists) and each tenant's mark is an idempotent
 * entity command that a tenant authorized after the dispute ignores, so nodes running it at once, or again at every
 * start, reach the same end; a singleton would need the same care anyway (it moves mid-run when its node leaves) and
 * would wait for the oldest node. The cost is one read of the tenants' read model per node start.
 */
public final class DirectoryBindingBackfill {

  private static final Logger log = LoggerFactory.getLogger(DirectoryBindingBackfill.class);
  private static final int PARALLELISM = 4;
  private static final int ATTEMPTS = 10;
  private static final Duration RETRY_MIN = Duration.ofSeconds(2);
  private static final Duration RETRY_MAX = Duration.ofMinutes(1);

  /** A tenant of the read model with the directory it was authorized for. */
  record Claimant(AccountId account, TenantId tenant, String directory) {}

  /** What one run did: directories bound now, and claimants that stand stopped (disputed) after it. */
  public record Outcome(int bound, int stopped) {}

  private final ActorSystem<?> system;
  private final CassandraSession session;
  private final DirectoryBindings bindings;
  private final Clock clock;
  private final Duration askTimeout;
  private final PreparedStatementCache authorizedTenants;

  public DirectoryBindingBackfill(ActorSystem<?> system, CassandraSession session, String keyspace,
      DirectoryBindings bindings, Clock clock) {
    this.system = system;
    this.session = session;
    this.bindings = bindings;
    this.clock = clock;
    this.askTimeout = TenantSettings.create(system).askTimeout();
    // Every tenant that ever was authorized keeps its directory id in the read model (deleted ones leave it).
    this.authorizedTenants = new PreparedStatementCache(session,
        "SELECT account_id, tenant_id, entra_tenant_id FROM " + keyspace + ".tenants_by_account");
  }

  /** Runs it in the background, retried with backoff while the cluster or Cassandra is not there yet. */
  public void start() {
    Patterns.retry(this::run, ATTEMPTS, RETRY_MIN, RETRY_MAX, 0.2, system).whenComplete((outcome, error) -> {
      if (error != null) {
        log.error("Directory bindings backfill gave up after {} attempts; it runs again at the next node start: {}",
            ATTEMPTS, error.toString());
      } else if (outcome.bound() + outcome.stopped() > 0) {
        log.info("Directory bindings backfill: {} directories bound, {} tenants stopped as disputed",
            outcome.bound(), outcome.stopped());
      }
    });
  }

  /** One pass over every authorized tenant. */
  public CompletionStage<Outcome> run() {
    return claimants().thenCompose(claimants -> {
      Map<String, List<Claimant>> byDirectory = claimants.stream()
          .collect(Collectors.groupingBy(Claimant::directory));
      return Source.from(byDirectory.entrySet())
          .mapAsyncUnordered(PARALLELISM, entry -> settle(entry.getKey(), entry.getValue()))
          .runWith(Sink.fold(new Outcome(0, 0), (sum, one) ->
              new Outcome(sum.bound() + one.bound(), sum.stopped() + one.stopped())), Materializer.matFromSystem(system));
    });
  }

  private CompletionStage<List<Claimant>> claimants() {
    return authorizedTenants.get().thenCompose(statement -> session.selectAll(statement.bind()))
        .thenApply(rows -> rows.stream()
            .filter(row -> row.getString("entra_tenant_id") != null && !row.getString("entra_tenant_id").isBlank())
            .map(row -> new Claimant(AccountId.of(row.getString("account_id")),
                TenantId.parse(row.getString("tenant_id")), DirectoryBindings.key(row.getString("entra_tenant_id"))))
            .toList());
  }

  /** One directory: bound already, bound now, or disputed. */
  CompletionStage<Outcome> settle(String directory, List<Claimant> claimants) {
    return bindings.find(directory).thenCompose(found -> {
      if (found.isPresent()) {
        return stopAllBut(directory, claimants, found.get());
      }
      if (claimants.size() == 1) {
        Claimant only = claimants.get(0);
        return bindings.claim(directory, only.tenant(), only.account()).thenCompose(claim -> claim instanceof
            DirectoryBindings.Bound
            ? CompletableFuture.completedFuture(new Outcome(1, 0))
            // Taken meanwhile (a consent on another node): judge it as found.
            : settle(directory, claimants));
      }
      Set<TenantId> tenants = claimants.stream().map(Claimant::tenant).collect(Collectors.toSet());
      return bindings.dispute(directory, tenants, clock.instant())
          .thenCompose(binding -> stopAllBut(directory, claimants, binding));
    });
  }

  /** Every claimant but the holder is stopped; while disputed, all of them (as of the dispute's time). */
  private CompletionStage<Outcome> stopAllBut(String directory, List<Claimant> claimants,
      DirectoryBindings.Binding binding) {
    List<Claimant> stopped = claimants.stream()
        .filter(claimant -> !binding.holder().equals(Optional.of(claimant.tenant()))).toList();
    if (stopped.isEmpty()) {
      return CompletableFuture.completedFuture(new Outcome(0, 0));
    }
    // A holder's tenant authorized later than now cannot be among the stopped, so now is safe for a held directory.
    Instant disputedAt = binding.disputed() ? binding.since() : clock.instant();
    log.warn("Microsoft directory {} is claimed by tenants {} ({}): they are stopped until one of them consents again",
        directory, stopped.stream().map(claimant -> claimant.tenant().value()).toList(),
        binding.disputed() ? "disputed" : "held by tenant " + binding.holder().orElseThrow());
    return Source.from(stopped)
        .mapAsync(1, claimant -> mark(claimant, disputedAt))
        .runWith(Sink.fold(0, (count, changed) -> count + (changed ? 1 : 0)), Materializer.matFromSystem(system))
        .thenApply(count -> new Outcome(0, count));
  }

  /** Whether the tenant stands stopped (false: it consented since the dispute, or is gone). */
  private CompletionStage<Boolean> mark(Claimant claimant, Instant disputedAt) {
    return ClusterSharding.get(system).entityRefFor(TenantEntity.ENTITY_TYPE_KEY, claimant.tenant().value())
        .<TenantCommands.Reply>ask(replyTo -> new TenantCommands.MarkDirectoryDisputed(claimant.account(),
            claimant.directory(), disputedAt, replyTo), askTimeout)
        .thenApply(reply -> reply instanceof TenantCommands.Current current
            && current.tenant().status() == TenantStatus.DIRECTORY_DISPUTED);
  }
}
