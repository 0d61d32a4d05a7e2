package io.entrabackup.protocol.approval;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.entrabackup.protocol.CborSerializable;

/** How an approve or reject of a waiting job went; each answers its own HTTP status. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
@JsonSubTypes({
    @JsonSubTypes.Type(value = ApprovalOutcome.Decided.class, name = "decided"),
    @JsonSubTypes.Type(value = ApprovalOutcome.OwnRequest.class, name = "own-request"),
    @JsonSubTypes.Type(value = ApprovalOutcome.RelatedKey.class, name = "related-key"),
    @JsonSubTypes.Type(value = ApprovalOutcome.NotAwaiting.class, name = "not-awaiting"),
    @JsonSubTypes.Type(value = ApprovalOutcome.NotFound.class, name = "not-found")})
public sealed interface ApprovalOutcome extends CborSerializable {

  /** Recorded: the job now runs, waits its turn, or is closed. */
  record Decided(String jobId, ApprovalDecision decision, boolean queued) implements ApprovalOutcome {}

  /** The key that asked for the job tried to approve it: four eyes means two keys (403). */
  record OwnRequest(String jobId) implements ApprovalOutcome {}

  /**
   * The approving key is too close to the requesting one to be a second pair of eyes: one issued the other, or the
   * approving key was issued after the request (403; {@code detail} says which).
   */
  record RelatedKey(String jobId, String detail) implements ApprovalOutcome {}

  /** The job does not wait for approval (any more): decided, expired, or never asked to wait (409). */
  record NotAwaiting(String jobId, String detail) implements ApprovalOutcome {}

  /** No such job in the account (404). */
  record NotFound(String jobId) implements ApprovalOutcome {}
}
