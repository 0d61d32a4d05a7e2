package io.entrabackup.protocol.tenant;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.CborSerializable;
import io.entrabackup.protocol.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the API and the dashboard show of one tenant: answered by the tenant entity, listed from the
 * read model.
 *
 * @param entraTenant the Entra tenant id (GUID) or domain the operator gave at registration, if any
 * @param statusReason why the tenant is refused or lost, in Microsoft's or our words
 * @param entraTenantId the Entra tenant id confirmed by reading {@code /organization}
 * @param backupFrequency ISO-8601, {@code P1D}; absent until authorized
 * @param objectCounts objects in the latest backup per type ({@code users}, {@code groups}, ...)
 * @param deletionScheduledFor when the tenant and its data will be deleted (offboarding), unless cancelled before
 */
public record TenantView(
    TenantId id,
    AccountId account,
    String displayName,
    Optional<String> entraTenant,
    TenantStatus status,
    Optional<String> statusReason,
    Optional<String> entraTenantId,
    Optional<String> organizationName,
    List<String> verifiedDomains,
    Optional<String> backupFrequency,
    Optional<Instant> nextBackupAt,
    Optional<LastBackup> lastBackup,
    Map<String, Long> objectCounts,
    List<TenantAction> actions,
    Instant registeredAt,
    Optional<Instant> deletionScheduledFor)
    implements CborSerializable {}
