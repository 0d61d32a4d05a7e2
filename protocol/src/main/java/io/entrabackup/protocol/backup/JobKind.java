package io.entrabackup.protocol.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The kinds of job System Status lists, one tab each. The lower-case name is what JSON, the {@code ?kind=} parameter
 * and the {@code kind} column of {@code jobs_by_account} hold.
 */
public enum JobKind {
  BACKUP("backup"),
  DOWNLOAD("download"),
  RESTORE("restore"),
  /** Pruning a tenant's versions older than its retention (cluster/RETENTION.md). */
  RETENTION("retention");

  private final String apiName;

  JobKind(String apiName) {
    this.apiName = apiName;
  }

  /** {@code backup}, {@code download}, {@code restore} or {@code retention}. */
  @JsonValue
  public String apiName() {
    return apiName;
  }

  public static Optional<JobKind> fromApiName(String name) {
    return Arrays.stream(values()).filter(kind -> kind.apiName.equals(name)).findFirst();
  }

  /** The names for a message: {@code backup, download, restore}. */
  public static String names() {
    return Arrays.stream(values()).map(JobKind::apiName).collect(Collectors.joining(", "));
  }

  @JsonCreator
  static JobKind parse(String name) {
    return fromApiName(name).orElseThrow(() -> new IllegalArgumentException("job kind must be one of " + names()));
  }
}
