package io.entrabackup.cluster.retention;

import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.entrabackup.cluster.audit.AuditTrail;
import io.entrabackup.cluster.job.JobMdc;
import io.entrabackup.cluster.job.JobsByAccount;
import io.entrabackup.cluster.tenant.TenantDirectory;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.retention.RetentionRun;
import io.entrabackup.protocol.retention.RetentionSetting;
import io.entrabackup.protocol.retention.RetentionView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import io.entrabackup.cluster.store.CassandraSettings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention (cluster/RETENTION.md): accounts' and tenants' settings, and passes that prune a tenant's versions older
 * than its setting, started by the schedule or on demand. A pass runs on the node that claimed it, off any actor, as
 * a chain of Cassandra futures; its job row (kind {@code retention}) shows on System Status and its end is recorded
 * in the account's audit trail.
 */
public final class Retention {

  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  /** What asking for a pass found. */
  public sealed interface Requested permits Started, Unlimited, UnknownTenant {}

  public record Started(RetentionRun run) implements Requested {}

  /** The tenant keeps versions without limit: there is nothing a pass could prune. */
  public record Unlimited() implements Requested {}

  public record UnknownTenant() implements Requested {}

  private final RetentionPolicies policies;
  private final RetentionPasses passes;
  private final RetentionPass pass;
  private final RetentionRows rows;
  private final JobsByAccount jobs;
  private final TenantDirectory tenants;
  private final AuditTrail audit;
  private final RetentionSettings settings;
  private final Clock clock;
  private final String owner;
  /** This node's passes under way, by job id, until they end. */
  private final Map<UUID, CompletionStage<RetentionPass.Outcome>> inFlight = new ConcurrentHashMap<>();

  public Retention(CassandraSession session, String keyspace, JobsByAccount jobs, TenantDirectory tenants,
      AuditTrail audit, Materializer materializer, RetentionSettings settings, Clock clock, String node) {
    this.policies = new RetentionPolicies(session, keyspace, clock);
    this.passes = new RetentionPasses(session, keyspace);
    this.rows = new RetentionRows(session::underlying, keyspace);
    this.pass = new RetentionPass(rows, passes, new RetentionPins(jobs, clock, settings.pinLookBack()), materializer,
        clock, settings.parallelism());
    this.jobs = jobs;
    this.tenants = tenants;
    this.audit = audit;
    this.settings = settings;
    this.clock = clock;
    this.owner = node + "/" + UUID.randomUUID();
  }

  /**
   * Retention on this node: its own session, the trail and jobs tables, and its schedule started once the schema is
   * in place.
   */
  public static Retention start(ActorSystem<?> system, TenantDirectory tenants, CompletionStage<?> schemaReady,
      Clock clock) {
    CassandraSession session = CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create(CassandraSettings.SESSION_CONFIG_PATH));
    String keyspace = CassandraSettings.create(system).keyspace();
    Retention retention = new Retention(session, keyspace, new JobsByAccount(session, keyspace), tenants,
        new AuditTrail(session::underlying, keyspace), Materializer.matFromSystem(system),
        RetentionSettings.create(system.settings().config()), clock,
        Cluster.get(system).selfMember().address().toString());
    schemaReady.thenRun(() -> RetentionSchedule.start(system, retention, tenants));
    return retention;
  }

  /** The tenant's current or last pass (tests, and a pass's figures). */
  CompletionStage<Optional<PassRecord>> lastPass(String tenantId) {
    return passes.get(tenantId);
  }

  RetentionPolicies policies() {
    return policies;
  }

  public RetentionSettings settings() {
    return settings;
  }

  /** Statements issued by this node's passes, by kind (the benchmark's tombstone figures). */
  public String statementCounts() {
    RetentionRows.Statements s = rows.statements();
    return "rangeDeletes=" + s.rangeDeletes() + " pointDeletes=" + s.pointDeletes() + " horizonWrites="
        + s.horizonWrites() + " partitionReads=" + s.partitionReads();
  }

  long rangeDeletes() {
    return rows.statements().rangeDeletes();
  }

  long pointDeletes() {
    return rows.statements().pointDeletes();
  }

  public CompletionStage<RetentionView> ofAccount(AccountId account) {
    return policies.of(account).thenApply(RetentionPolicies.AccountPolicies::forAccount);
  }

  /** Empty when the tenant is not the account's. */
  public CompletionStage<Optional<RetentionView>> ofTenant(AccountId account, String tenantId) {
    return isTenantOf(account, tenantId).thenCompose(known -> known
        ? policies.of(account).thenApply(found -> Optional.of(found.forTenant(tenantId)))
        : CompletableFuture.completedFuture(Optional.empty()));
  }

  /** @param setting validated by the caller */
  public CompletionStage<RetentionView> setAccount(AccountId account, RetentionSetting setting, String keyId) {
    return policies.save(account, RetentionPolicies.ACCOUNT_ROW, days(setting), keyId)
        .thenCompose(done -> ofAccount(account));
  }

  /** @param setting validated by the caller; empty when the tenant is not the account's */
  public CompletionStage<Optional<RetentionView>> setTenant(AccountId account, String tenantId,
      RetentionSetting setting, String keyId) {
    int days = setting.inherits() ? RetentionPolicies.INHERIT : days(setting);
    return isTenantOf(account, tenantId).thenCompose(known -> known
        ? policies.save(account, tenantId, days, keyId).thenCompose(done -> ofTenant(account, tenantId))
        : CompletableFuture.completedFuture(Optional.empty()));
  }

  private static int days(RetentionSetting setting) {
    return setting.days().orElse(RetentionPolicies.UNLIMITED);
  }

  private CompletionStage<Boolean> isTenantOf(AccountId account, String tenantId) {
    return tenants.names(account, List.of(tenantId)).thenApply(names -> names.containsKey(tenantId));
  }

  /** A pass of the tenant now (or the one already running); it runs on this node. */
  public CompletionStage<Requested> runNow(AccountId account, String tenantId) {
    return ofTenant(account, tenantId).thenCompose(view -> {
      if (view.isEmpty()) {
        return CompletableFuture.completedFuture(new UnknownTenant());
      }
      if (view.get().keepDays() == null) {
        return CompletableFuture.completedFuture(new Unlimited());
      }
      return begin(account.value(), tenantId, view.get().keepDays(), BackupTrigger.MANUAL, Duration.ZERO)
          .thenApply(Started::new);
    });
  }

  /**
   * Starts a pass unless one is running (then answers it) or, for the schedule, the last one ended less than
   * {@code minGap} ago (then answers nothing new: {@code alreadyRunning} false and the last job).
   */
  CompletionStage<RetentionRun> begin(String account, String tenantId, int keepDays, BackupTrigger trigger,
      Duration minGap) {
    Instant now = clock.instant();
    return passes.get(tenantId).thenCompose(previous -> {
      if (previous.isPresent() && !previous.get().finished()) {
        return resumeIfStale(previous.get(), now)
            .thenApply(resumed -> new RetentionRun(previous.get().jobId().toString(), tenantId, true));
      }
      if (previous.isPresent() && previous.get().finishedAt().isPresent()
          && previous.get().finishedAt().get().isAfter(now.minus(gapAfter(previous.get(), minGap)))) {
        return CompletableFuture.completedFuture(new RetentionRun(previous.get().jobId().toString(), tenantId, false));
      }
      UUID job = Uuids.timeBased();
      PassRecord fresh = new PassRecord(tenantId, account, job, owner, now, now, Optional.empty(), false,
          now.minus(Duration.ofDays(keepDays)), keepDays, trigger.name(), Optional.empty(), RetentionFigures.ZERO,
          Optional.empty());
      return passes.start(previous, fresh).thenCompose(won -> {
        if (!won) {
          return passes.get(tenantId).thenApply(now2 -> new RetentionRun(
              now2.map(found -> found.jobId().toString()).orElse(job.toString()), tenantId, true));
        }
        return jobs.insert(JobKind.RETENTION, new AccountId(account), job.toString(), tenantId, JobState.RUNNING,
                Optional.of(trigger), now, Optional.of(now))
            .thenApply(done -> {
              run(fresh);
              return new RetentionRun(job.toString(), tenantId, false);
            });
      });
    });
  }

  /** A deferred pass is tried again at the next check, not a day later. */
  private Duration gapAfter(PassRecord last, Duration minGap) {
    return last.deferred().isPresent() ? Duration.ZERO : minGap;
  }

  /** A pass whose owner stopped beating is taken over and resumed here from its checkpoint. */
  CompletionStage<Boolean> resumeIfStale(PassRecord running, Instant now) {
    if (running.beatAt().isAfter(now.minus(settings.staleAfter()))) {
      return CompletableFuture.completedFuture(false);
    }
    return passes.takeOver(running, owner, now).thenApply(won -> {
      if (won) {
        log.info("Retention pass {} of tenant {} resumed here: its node stopped", running.jobId(), running.tenantId());
        run(new PassRecord(running.tenantId(), running.accountId(), running.jobId(), owner, now,
            running.startedAt(), Optional.empty(), false, running.cutoff(), running.keepDays(), running.trigger(),
            running.checkpoint(), running.figures(), Optional.empty()));
      }
      return won;
    });
  }

  /**
   * A pass of the tenant with this period, started here and waited for (the benchmark and operations' tools): its
   * figures, or those of the pass already under way elsewhere, as last checkpointed.
   */
  public CompletionStage<RetentionFigures> passNow(AccountId account, String tenantId, int keepDays) {
    return begin(account.value(), tenantId, keepDays, BackupTrigger.MANUAL, Duration.ZERO).thenCompose(run -> {
      CompletionStage<RetentionPass.Outcome> running = inFlight.get(UUID.fromString(run.jobId()));
      return running != null ? running.thenApply(RetentionPass.Outcome::figures)
          : passes.get(tenantId).thenApply(found -> found.map(PassRecord::figures).orElse(RetentionFigures.ZERO));
    });
  }

  /** Runs the pass to its end in the background; the returned stage completes with its outcome. */
  CompletionStage<RetentionPass.Outcome> run(PassRecord record) {
    CompletableFuture<RetentionPass.Outcome> ended = new CompletableFuture<>();
    inFlight.put(record.jobId(), ended);
    runToEnd(record).whenComplete((outcome, error) -> {
      inFlight.remove(record.jobId());
      if (error != null) {
        ended.completeExceptionally(error);
      } else {
        ended.complete(outcome);
      }
    });
    return ended;
  }

  private CompletionStage<RetentionPass.Outcome> runToEnd(PassRecord record) {
    AccountId account = new AccountId(record.accountId());
    String jobId = record.jobId().toString();
    // A pass runs on future callbacks, not in an actor: its lines take the job's MDC where they are written.
    JobMdc mdc = new JobMdc(record.tenantId(), jobId, JobKind.RETENTION, Optional.of(jobId));
    long startedNanos = System.nanoTime();
    mdc.run(() -> log.info("Job started: retention {} of tenant {}: versions older than {} days ({})", jobId,
        record.tenantId(), record.keepDays(), record.trigger()));
    CompletionStage<RetentionPass.Outcome> outcome = pass.run(record);
    return outcome.handle((ended, error) -> {
      if (error != null) {
        mdc.run(() -> log.warn("Retention pass {} of tenant {} failed: {}", jobId, record.tenantId(),
            error.toString()));
        return new RetentionPass.Outcome(record.figures(), Optional.empty(), false, true);
      }
      return ended;
    }).thenCompose(ended -> {
      RetentionFigures figures = ended.figures();
      mdc.run(() -> log.info("Job ended: retention {} of tenant {} {} in {} ms: {} objects examined, {} versions"
              + " pruned, {} chunks deleted, {} bytes", jobId, record.tenantId(), ended.failed() ? "failed"
              : ended.lostOwnership() ? "handed over" : ended.deferred().isPresent() ? "deferred" : "completed",
          (System.nanoTime() - startedNanos) / 1_000_000, figures.objects(), figures.versions(), figures.chunks(),
          figures.stateBytes()));
      if (ended.lostOwnership()) {
        return CompletableFuture.completedFuture(ended);
      }
      return RetentionRecords.ended(audit, jobs, clock, record, ended)
          .thenCompose(done -> passes.finish(record.tenantId(), owner, record.jobId(), clock.instant(),
              ended.figures(), ended.deferred()))
          .thenApply(done -> ended);
    });
  }
}
