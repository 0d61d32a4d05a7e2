package io.entrabackup.http.job;

import io.entrabackup.protocol.approval.ApprovalDecision;
import io.entrabackup.protocol.backup.JobState;

/**
 * What {@code POST /jobs/{id}/approve} and {@code /reject} answer: the decision recorded and where the job stands
 * now ({@code running}, {@code queued} behind the tenant's writing job, or {@code rejected}).
 */
public record ApprovalResult(String id, ApprovalDecision decision, JobState state) {}
