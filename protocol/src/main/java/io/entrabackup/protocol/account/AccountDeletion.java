package io.entrabackup.protocol.account;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.tenant.TenantView;
import java.util.List;

/**
 * The answer to deleting an account: each of its tenants, now scheduled for deletion (its
 * {@code deletionScheduledFor}); each can still be brought back within its grace period (cluster/OFFBOARDING.md).
 */
public record AccountDeletion(AccountId account, List<TenantView> tenants) {}
