package io.entrabackup.cluster.backup;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import java.util.List;
import java.util.Map;

/**
 * What a backup run must do: which types are left (in order), and where each type's last delta
 * round ended (absent: a full round).
 */
public record BackupRunSpec(TenantId tenantId, AccountId account, String entraTenantId, String runId, List<ObjectType> types,
    Map<ObjectType, String> deltaLinks) {}
