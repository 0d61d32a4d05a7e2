package io.entrabackup.protocol.backup;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a job (backup, download, restore) stands, as System Status shows it. */
public enum JobState {
  @JsonProperty("queued")
  QUEUED,
  @JsonProperty("running")
  RUNNING,
  @JsonProperty("completed")
  COMPLETED,
  @JsonProperty("completed_with_skipped_items")
  COMPLETED_WITH_SKIPPED_ITEMS,
  @JsonProperty("failed")
  FAILED,
  /** Four-eyes: created, waiting for a second key of the account to approve it; nothing ran. */
  @JsonProperty("awaiting_approval")
  AWAITING_APPROVAL,
  /** Four-eyes: a second key rejected it; nothing ran. */
  @JsonProperty("rejected")
  REJECTED,
  /** Four-eyes: nobody approved it in time; nothing ran. */
  @JsonProperty("expired")
  EXPIRED
}
