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
  SHOW_DETAIL;

  /** The actions a tenant in the given status offers. */
  public static List<TenantAction> availableIn(TenantStatus status) {
    return status == TenantStatus.AUTHORIZED
        ? List.of(BACKUP_NOW, DOWNLOAD, SHOW_DETAIL)
        : List.of(ACTIVATE, SHOW_DETAIL);
  }
}
