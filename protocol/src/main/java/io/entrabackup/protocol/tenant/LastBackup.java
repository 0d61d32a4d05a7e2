package io.entrabackup.protocol.tenant;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/** The outcome of a tenant's most recent backup, as the dashboard shows it. */
public record LastBackup(Result result, Instant finishedAt) {

  /** How the backup ended; in JSON and the read model the lower-case name ({@code completed}, ...). */
  public enum Result {
    COMPLETED,
    COMPLETED_WITH_SKIPPED_ITEMS,
    FAILED;

    @JsonValue
    public String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Result fromApiName(String name) {
      return Arrays.stream(values()).filter(result -> result.apiName().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException(
              "backup result must be completed, completed_with_skipped_items or failed"));
    }
  }
}
