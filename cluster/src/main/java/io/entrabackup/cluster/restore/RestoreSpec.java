package io.entrabackup.cluster.restore;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import java.util.Optional;
import io.entrabackup.cluster.job.JobMdc;
import io.entrabackup.protocol.backup.JobKind;

/**
 * One restore job as its worker needs it.
 *
 * @param recreatedId the id of the object this job already created anew (a resumed restore goes on with it)
 * @param requestId the HTTP request that asked for the restore (absent: the job id stands in)
 */
public record RestoreSpec(TenantId tenantId, AccountId account, String entraTenantId, String jobId, ObjectType type,
    String objectId, String versionId, Optional<String> recreatedId, Optional<String> requestId) {

  public RestoreSpec(TenantId tenantId, AccountId account, String entraTenantId, String jobId, ObjectType type,
      String objectId, String versionId, Optional<String> recreatedId) {
    this(tenantId, account, entraTenantId, jobId, type, objectId, versionId, recreatedId, Optional.empty());
  }

  /** What the restore's log lines carry; its Graph requests send the request id as {@code client-request-id}. */
  JobMdc job() {
    return new JobMdc(tenantId.value(), jobId, JobKind.RESTORE, Optional.of(requestId.orElse(jobId)));
  }
}
