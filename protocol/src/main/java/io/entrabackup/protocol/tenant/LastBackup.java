package io.entrabackup.protocol.tenant;

import java.time.Instant;

/**
 * The outcome of a tenant's most recent backup, as the dashboard shows it.
 *
 * @param result {@code completed}, {@code completed_with_skipped_items} or {@code failed}
 */
public record LastBackup(String result, Instant finishedAt) {}
