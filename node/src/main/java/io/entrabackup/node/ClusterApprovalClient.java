package io.entrabackup.node;

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
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Four-eyes decisions, carried to the entity that owns the waiting job: a restore's tenant entity, a download's job
 * entity. Each checks the account, the requester's key and the window itself.
 */
final class ClusterApprovalClient implements ApprovalClient {

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  ClusterApprovalClient(ActorSystem<?> system) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = TenantSettings.create(system).askTimeout();
  }

  @Override
  public CompletionStage<ApprovalOutcome> decide(Caller caller, JobView job, ApprovalDecision decision) {
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
