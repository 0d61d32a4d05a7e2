package io.entrabackup.http.restore;

import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.restore.RestorePlan;
import io.entrabackup.protocol.restore.SkippedItem;
import io.entrabackup.protocol.tenant.TenantCommands;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What the restore routes need from the cluster. Answers are empty for another account's tenant, a missing object or
 * version, or a job that is not the account's; a restore that cannot be made fails with {@code RestoreRefused}.
 */
public interface RestoreClient {

  /** What restoring the object to the version would do now; writes nothing. */
  CompletionStage<Optional<RestorePlan>> plan(Caller caller, TenantId tenant, ObjectType type, String objectId,
      String versionId);

  /** Starts (or queues) a restore job; the tenant entity's reply, or NotFound when there is no such version. */
  CompletionStage<TenantCommands.Reply> start(Caller caller, TenantId tenant, ObjectType type, String objectId,
      String versionId);

  /** {@link #start} for the HTTP request {@code requestId}, which the job keeps (clients that do not, drop it). */
  default CompletionStage<TenantCommands.Reply> start(Caller caller, TenantId tenant, ObjectType type,
      String objectId, String versionId, String requestId) {
    return start(caller, tenant, type, objectId, versionId);
  }

  /** A restore job's skipped items; empty when the account has no such job. */
  CompletionStage<Optional<List<SkippedItem>>> skippedItems(Caller caller, String jobId);
}
