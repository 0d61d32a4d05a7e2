package io.entrabackup.cluster.backup;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.entrabackup.cluster.job.JobMdc;
import io.entrabackup.protocol.backup.JobKind;

/**
 * What a backup run must do: which types are left (in order), and where each type's last delta
 * round ended (absent: a full round). {@code requestId}: the request that started the run (its log lines and Graph
 * requests carry it).
 */
public record BackupRunSpec(TenantId tenantId, AccountId account, String entraTenantId, String runId, List<ObjectType> types,
    Map<ObjectType, String> deltaLinks, Optional<String> requestId) {

  public BackupRunSpec(TenantId tenantId, AccountId account, String entraTenantId, String runId,
      List<ObjectType> types, Map<ObjectType, String> deltaLinks) {
    this(tenantId, account, entraTenantId, runId, types, deltaLinks, Optional.empty());
  }

  /** What the run's log lines carry. */
  public JobMdc job() {
    return new JobMdc(tenantId.value(), runId, JobKind.BACKUP, requestId);
  }
}
