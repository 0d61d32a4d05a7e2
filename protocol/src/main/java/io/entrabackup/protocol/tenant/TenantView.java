package io.entrabackup.protocol.tenant;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.CborSerializable;
import io.entrabackup.protocol.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * What the API shows of one tenant, answered by the tenant entity and listed from the read model.
 *
 * @param entraTenant the Entra tenant id (GUID) or primary domain the operator gave, if any
 */
public record TenantView(
    TenantId id,
    AccountId account,
    String displayName,
    Optional<String> entraTenant,
    TenantStatus status,
    Instant registeredAt)
    implements CborSerializable {}
