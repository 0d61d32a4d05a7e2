package io.entrabackup.protocol.approval;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a second key decided about a job waiting for approval; in JSON the lower-case name. */
public enum ApprovalDecision {
  APPROVED("approved"),
  REJECTED("rejected"),
  /** Nobody decided within the account's approval window. */
  EXPIRED("expired");

  private final String apiName;

  ApprovalDecision(String apiName) {
    this.apiName = apiName;
  }

  @JsonValue
  public String apiName() {
    return apiName;
  }

  public static ApprovalDecision fromApiName(String name) {
    for (ApprovalDecision decision : values()) {
      if (decision.apiName.equals(name)) {
        return decision;
      }
    }
    throw new IllegalArgumentException("unknown approval decision " + name);
  }
}
