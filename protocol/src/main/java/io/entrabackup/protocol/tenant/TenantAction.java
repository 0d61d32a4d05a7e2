package io.entrabackup.protocol.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** What an operator may do with a tenant now, as the dashboard offers it. */
public enum TenantAction {
  @JsonProperty("activate")
  ACTIVATE,
  @JsonProperty("backup_now")
  BACKUP_NOW,
  @JsonProperty("download")
  DOWNLOAD,
  @JsonProperty("show_detail")
  SHOW_DETAIL,
  /** Undo a scheduled deletion within its grace period. */
  @JsonProperty("cancel_deletion")
  CANCEL_DELETION;

  /** The actions a tenant in the given status offers. */
  public static List<TenantAction> availableIn(TenantStatus status) {
    return status == TenantStatus.AUTHORIZED
        ? List.of(BACKUP_NOW, DOWNLOAD, SHOW_DETAIL)
        : List.of(ACTIVATE, SHOW_DETAIL);
  }

  /** As {@link #availableIn(TenantStatus)}; a tenant whose deletion is scheduled offers only its detail and Undo. */
  public static List<TenantAction> availableIn(TenantStatus status, boolean deletionScheduled) {
    return deletionScheduled ? List.of(SHOW_DETAIL, CANCEL_DELETION) : availableIn(status);
  }
}
