package io.entrabackup.http.job;

import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.approval.ApprovalDecision;
import io.entrabackup.protocol.approval.ApprovalOutcome;
import io.entrabackup.protocol.backup.JobView;
import java.util.concurrent.CompletionStage;

/** Four-eyes: approving or rejecting a job of the caller's account that waits for approval. */
public interface ApprovalClient {

  /** The decision of {@code caller}'s key on {@code job} (a restore or download of the caller's account). */
  CompletionStage<ApprovalOutcome> decide(Caller caller, JobView job, ApprovalDecision decision);
}
