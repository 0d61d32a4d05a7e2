package io.entrabackup.cluster.restore;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import java.util.Optional;

/**
 * One restore job as its worker needs it.
 *
 * @param recreatedId the id of the object this job already created anew (a resumed restore goes on with it)
 */
public record RestoreSpec(TenantId tenantId, AccountId account, String entraTenantId, String jobId, ObjectType type,
    String objectId, String versionId, Optional<String> recreatedId) {}
