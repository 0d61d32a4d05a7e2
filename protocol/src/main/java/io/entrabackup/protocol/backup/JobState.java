package io.entrabackup.protocol.backup;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

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
  EXPIRED;

  /** The JSON name ({@code completed_with_skipped_items}), as the {@code ?state=} filter takes it. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<JobState> fromApiName(String name) {
    return Arrays.stream(values()).filter(state -> state.apiName().equals(name)).findFirst();
  }

  /** The names for a message: {@code queued, running, ...}. */
  public static String names() {
    return Arrays.stream(values()).map(JobState::apiName).collect(Collectors.joining(", "));
  }
}
