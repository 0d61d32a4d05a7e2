package io.entrabackup.protocol.api;

import io.entrabackup.protocol.tenant.LastBackup;
import io.entrabackup.protocol.tenant.TenantView;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The orders the tenant list is offered in ({@code sort} of {@code GET /tenants}). Each orders by a text key, then by
 * tenant id, so the order is total and a cursor (the last key and id shown) names one place in it.
 */
public enum TenantSort {
  /** Our tenant id: the list's order before it could be sorted, and still its default. */
  ID("id"),
  /** The display name, ignoring case. */
  NAME("name"),
  /** When the last backup finished; tenants never backed up come first (the most out of date). */
  LAST_BACKUP("last_backup"),
  /** When the next backup is due; tenants with no schedule come last. */
  NEXT_BACKUP("next_backup"),
  /** Most in need of attention first: consent lost, refused, last backup failed, pending, authorized. */
  STATUS("status");

  private final String apiName;

  TenantSort(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }

  /** The sort a query parameter names; empty for any other text. */
  public static Optional<TenantSort> fromApiName(String text) {
    return Arrays.stream(values()).filter(sort -> sort.apiName.equals(text)).findFirst();
  }

  public static String choices() {
    return String.join(", ", Arrays.stream(values()).map(TenantSort::apiName).toList());
  }

  /** The tenant's place in this order, as text compared character by character (times zero-padded). */
  public String key(TenantView tenant) {
    return switch (this) {
      case ID -> tenant.id().value();
      case NAME -> tenant.displayName().toLowerCase(Locale.ROOT);
      case LAST_BACKUP -> tenant.lastBackup().map(last -> millis(last.finishedAt().toEpochMilli())).orElse("");
      // '~' sorts after every digit: no schedule is after every due time.
      case NEXT_BACKUP -> tenant.nextBackupAt().map(at -> millis(at.toEpochMilli())).orElse("~");
      case STATUS -> Integer.toString(attentionRank(tenant));
    };
  }

  private static String millis(long epochMillis) {
    return String.format(Locale.ROOT, "%019d", Math.max(0, epochMillis));
  }

  private static int attentionRank(TenantView tenant) {
    return switch (tenant.status()) {
      // A disputed directory first: nothing of it runs, and it may be another account's attack (cluster/CONSENT.md).
      case DIRECTORY_DISPUTED, AUTHORIZATION_LOST -> 0;
      case AUTHORIZATION_REFUSED -> 1;
      case PENDING_AUTHORIZATION -> 3;
      case AUTHORIZED -> tenant.lastBackup().map(LastBackup::result).filter(r -> r == LastBackup.Result.FAILED)
          .isPresent() ? 2 : 4;
    };
  }
}
