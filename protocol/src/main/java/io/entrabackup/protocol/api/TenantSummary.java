package io.entrabackup.protocol.api;

/**
 * The dashboard's summary line, over all the account's tenants (not only those a search or filter shows), counted
 * from the same read as the page it is answered with.
 *
 * @param tenants every tenant of the account
 * @param matching those the search and status filter let through (the list's length over all its pages)
 * @param needAttention consent lost or refused, or the last backup failed
 * @param backupsRunning tenants whose backup is queued or running
 * @param authorized consent held
 * @param pending waiting for consent
 */
public record TenantSummary(
    long tenants, long matching, long needAttention, long backupsRunning, long authorized, long pending) {

  public static final TenantSummary EMPTY = new TenantSummary(0, 0, 0, 0, 0, 0);
}
