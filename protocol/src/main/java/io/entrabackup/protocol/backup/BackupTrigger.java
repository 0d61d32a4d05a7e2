package io.entrabackup.protocol.backup;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Why a backup ran. */
public enum BackupTrigger {
  /** The tenant's schedule came due. */
  @JsonProperty("scheduled")
  SCHEDULED,
  /** Chosen at authorization: right after consent. */
  @JsonProperty("immediate")
  IMMEDIATE,
  /** Backup Now. */
  @JsonProperty("manual")
  MANUAL
}
