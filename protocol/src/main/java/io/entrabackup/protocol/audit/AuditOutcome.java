package io.entrabackup.protocol.audit;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How an audited action ended: done, refused by our rules (4xx), or failed on our side (5xx). */
public enum AuditOutcome {
  SUCCESS,
  REFUSED,
  FAILED;

  /** The outcome an HTTP status means. */
  public static AuditOutcome ofStatus(int status) {
    if (status >= 500) {
      return FAILED;
    }
    return status >= 400 ? REFUSED : SUCCESS;
  }

  @JsonValue
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static AuditOutcome fromApiName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
