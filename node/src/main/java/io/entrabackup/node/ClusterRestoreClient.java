package io.entrabackup.node;

import io.entrabackup.cluster.tenant.TenantSettings;
import io.entrabackup.protocol.AsyncFailures;

import io.entrabackup.cluster.approval.FourEyesRules;
import io.entrabackup.cluster.graph.GraphAccessException;
import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.cluster.job.JobStore;
import io.entrabackup.cluster.job.RestoreApprovalRows;
import io.entrabackup.cluster.restore.RestorePlans;
import io.entrabackup.cluster.restore.SkippedItemStore;
import io.entrabackup.cluster.tenant.TenantEntity;
import io.entrabackup.http.restore.RestoreClient;
import io.entrabackup.protocol.RequestId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.restore.RestorePlan;
import io.entrabackup.protocol.restore.RestoreRefused;
import io.entrabackup.protocol.restore.SkippedItem;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.protocol.tenant.TenantView;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The restore routes' view of the cluster: plans from {@link RestorePlans} once the tenant entity confirmed the tenant
 * is the caller's and authorized; restore jobs through the entity; skipped items from their store.
 */
final class ClusterRestoreClient implements RestoreClient {

  private final ClusterSharding sharding;
  private final TenantOwnership ownership;
  private final RestorePlans plans;
  private final JobStore jobs;
  private final SkippedItemStore skippedItems;
  private final Duration askTimeout;
  private final Optional<FourEyesRules> fourEyes;
  private final Optional<RestoreApprovalRows> approvalRows;

  ClusterRestoreClient(ActorSystem<?> system, TenantOwnership ownership, RestorePlans plans, JobStore jobs,
      SkippedItemStore skippedItems) {
    this(system, ownership, plans, jobs, skippedItems, Optional.empty(), Optional.empty());
  }

  /** With {@code fourEyes}, a restore the account's rule makes wait is created awaiting a second key's approval. */
  ClusterRestoreClient(ActorSystem<?> system, TenantOwnership ownership, RestorePlans plans, JobStore jobs,
      SkippedItemStore skippedItems, Optional<FourEyesRules> fourEyes, Optional<RestoreApprovalRows> approvalRows) {
    this.fourEyes = fourEyes;
    this.approvalRows = approvalRows;
    this.sharding = ClusterSharding.get(system);
    this.ownership = ownership;
    this.plans = plans;
    this.jobs = jobs;
    this.skippedItems = skippedItems;
    this.askTimeout = TenantSettings.create(system).askTimeout();
  }

  @Override
  public CompletionStage<Optional<RestorePlan>> plan(Caller caller, TenantId tenant, ObjectType type,
      String objectId, String versionId) {
    return authorizedTenant(caller, tenant).thenCompose(view -> view.isEmpty()
        ? CompletableFuture.completedFuture(Optional.<RestorePlan>empty())
        : plans.plan(tenant, view.get().entraTenantId().orElseThrow(), type, objectId, versionId)
            .exceptionally(ClusterRestoreClient::refusal));
  }

  @Override
  public CompletionStage<TenantCommands.Reply> start(Caller caller, TenantId tenant, ObjectType type,
      String objectId, String versionId) {
    return start(caller, tenant, type, objectId, versionId, RequestId.generate());
  }

  @Override
  public CompletionStage<TenantCommands.Reply> start(Caller caller, TenantId tenant, ObjectType type,
      String objectId, String versionId, String requestId) {
    return authorizedTenant(caller, tenant).thenCompose(view -> view.isEmpty()
        ? CompletableFuture.completedFuture(new TenantCommands.NotFound())
        : plans.target(tenant, type, objectId, versionId).thenCompose(target -> target.isEmpty()
            ? CompletableFuture.completedFuture(new TenantCommands.NotFound())
            : startOrAwait(caller, tenant, view.get(), target.get(), objectId, versionId, requestId)));
  }

  /** The restore runs (or queues) at once, unless the account's four-eyes rule makes it wait for approval. */
  private CompletionStage<TenantCommands.Reply> startOrAwait(Caller caller, TenantId tenant, TenantView view,
      ObjectSnapshot target, String objectId, String versionId, String requestId) {
    CompletionStage<Optional<FourEyesRules.Waiting>> waiting = fourEyes.isEmpty()
        ? CompletableFuture.completedFuture(Optional.empty())
        : fourEyes.get().restore(caller.account(), tenant, view.entraTenantId().orElseThrow(), target)
            .exceptionally(ClusterRestoreClient::refusal);
    return waiting.thenCompose(wait -> entity(tenant).<TenantCommands.Reply>ask(replyTo -> wait.isPresent()
        ? new TenantCommands.StartRestoreAwaitingApproval(caller.account(), caller.keyId(), target.type(),
            objectId, versionId, wait.get().reason(), wait.get().window(), replyTo)
        : new TenantCommands.StartRestore(caller.account(), caller.keyId(), target.type(), objectId, versionId,
            replyTo, Optional.of(requestId)), askTimeout)
        .thenCompose(reply -> reply instanceof TenantCommands.RestoreAwaitingApproval awaiting
            ? recordAwaiting(caller, tenant, target.type(), objectId, versionId, awaiting).thenApply(done -> reply)
            : CompletableFuture.completedFuture(reply)));
  }

  /** The waiting job's System Status row at once, so a second key can approve it as soon as its id is known. */
  private CompletionStage<?> recordAwaiting(Caller caller, TenantId tenant, ObjectType type, String objectId,
      String versionId, TenantCommands.RestoreAwaitingApproval awaiting) {
    return approvalRows.map(rows -> rows.record(new TenantEvents.RestoreApprovalRequested(tenant, caller.account(),
            awaiting.jobId(), caller.keyId(), type, objectId, versionId, awaiting.reason(), awaiting.requestedAt(),
            awaiting.expiresAt())))
        .orElseGet(() -> CompletableFuture.completedFuture(null));
  }

  @Override
  public CompletionStage<Optional<List<SkippedItem>>> skippedItems(Caller caller, String jobId) {
    return jobs.get(caller.account(), jobId).thenCompose(job -> job.filter(found -> found.kind() == JobKind.RESTORE)
        .map(found -> skippedItems.list(jobId).thenApply(Optional::of))
        .orElse(CompletableFuture.completedFuture(Optional.empty())));
  }

  /** The tenant as the caller's account sees it; empty when not theirs; refused when not authorized. */
  private CompletionStage<Optional<TenantView>> authorizedTenant(Caller caller, TenantId tenant) {
    return ownership.tenant(caller.account(), tenant).thenApply(view -> {
      if (view.filter(found -> found.status() != TenantStatus.AUTHORIZED).isPresent()) {
        throw new RestoreRefused(409, "Tenant " + tenant + " is not authorized (" + view.get().status()
            + "); use Activate Backup first");
      }
      return view;
    });
  }

  /** Microsoft's refusal to answer a plan's reads is the caller's to see (502), not an internal error. */
  private static <T> T refusal(Throwable error) {
    Throwable cause = AsyncFailures.cause(error);
    if (cause instanceof GraphAccessException graph) {
      throw new RestoreRefused(502, "Microsoft Graph: " + graph.getMessage());
    }
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    throw new CompletionException(cause);
  }

  private EntityRef<TenantCommands.Command> entity(TenantId tenant) {
    return sharding.entityRefFor(TenantEntity.ENTITY_TYPE_KEY, tenant.value());
  }
}
