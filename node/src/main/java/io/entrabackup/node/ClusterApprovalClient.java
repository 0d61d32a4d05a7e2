package io.entrabackup.node;

import io.entrabackup.cluster.account.AccountStore;
import io.entrabackup.cluster.approval.ApprovingKeys;
import io.entrabackup.cluster.download.DownloadJobEntity;
import io.entrabackup.cluster.tenant.TenantEntity;
import io.entrabackup.cluster.tenant.TenantSettings;
import io.entrabackup.http.job.ApprovalClient;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.approval.ApprovalDecision;
import io.entrabackup.protocol.approval.ApprovalOutcome;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobView;
import io.entrabackup.protocol.download.DownloadCommands;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.approval.ApprovalView;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Four-eyes decisions, carried to the entity that owns the waiting job: a restore's tenant entity, a download's job
 * entity. Each checks the account, the requester's key and the window itself; an approval is first checked here
 * against the two keys' provenance ({@link ApprovingKeys}), which only the key store knows.
 */
final class ClusterApprovalClient implements ApprovalClient {

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final AccountStore keys;

  ClusterApprovalClient(ActorSystem<?> system, AccountStore keys) {
    this.sharding = ClusterSharding.get(system);
    this.keys = keys;
    this.askTimeout = TenantSettings.create(system).askTimeout();
  }

  @Override
  public CompletionStage<ApprovalOutcome> decide(Caller caller, JobView job, ApprovalDecision decision) {
    if (decision != ApprovalDecision.APPROVED) {
      return carry(caller, job, decision); // a rejection only stops work: any second key may make it
    }
    Optional<String> requestedBy = job.approval().map(ApprovalView::requestedBy)
        .or(() -> job.restore().map(restore -> restore.requestedBy()));
    if (requestedBy.isEmpty()) {
      // Not listed yet (the row follows the request by moments): without knowing who asked, nothing is approved.
      return CompletableFuture.completedFuture(new ApprovalOutcome.NotAwaiting(job.id(),
          "Job " + job.id() + " is not listed as awaiting approval yet; try again in a moment"));
    }
    Instant requestedAt = job.approval().map(ApprovalView::requestedAt).orElse(job.queuedAt());
    return keys.provenance(caller.account(), caller.keyId()).thenCompose(approver -> keys
        .provenance(caller.account(), requestedBy.get())
        .thenCompose(requester -> {
          Optional<String> refusal = approver.flatMap(found ->
              ApprovingKeys.refusal(found, requester, requestedAt));
          return refusal.isPresent()
              ? CompletableFuture.completedFuture(new ApprovalOutcome.RelatedKey(job.id(), refusal.get()))
              : carry(caller, job, decision);
        }));
  }

  private CompletionStage<ApprovalOutcome> carry(Caller caller, JobView job, ApprovalDecision decision) {
    if (job.kind() == JobKind.RESTORE) {
      return sharding.entityRefFor(TenantEntity.ENTITY_TYPE_KEY, job.tenantId())
          .<TenantCommands.Reply>ask(replyTo -> new TenantCommands.DecideRestoreApproval(caller.account(), job.id(),
              caller.keyId(), decision, replyTo), askTimeout)
          .thenApply(reply -> outcome(job, reply));
    }
    if (job.kind() == JobKind.DOWNLOAD) {
      return sharding.entityRefFor(DownloadJobEntity.ENTITY_TYPE_KEY, job.id())
          .<DownloadCommands.Reply>ask(replyTo -> new DownloadCommands.DecideApproval(caller.account(),
              caller.keyId(), decision, replyTo), askTimeout)
          .thenApply(reply -> reply instanceof DownloadCommands.ApprovalAnswer answer
              ? answer.outcome()
              : new ApprovalOutcome.NotFound(job.id()));
    }
    return CompletableFuture.completedFuture(new ApprovalOutcome.NotAwaiting(job.id(),
        "A " + job.kind().apiName() + " job never waits for approval"));
  }

  private static ApprovalOutcome outcome(JobView job, TenantCommands.Reply reply) {
    if (reply instanceof TenantCommands.ApprovalAnswer answer) {
      return answer.outcome();
    }
    if (reply instanceof TenantCommands.Rejected rejected) {
      return new ApprovalOutcome.NotAwaiting(job.id(), rejected.reason());
    }
    return new ApprovalOutcome.NotFound(job.id());
  }
}
