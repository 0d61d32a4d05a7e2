package io.entrabackup.cluster.approval;

import io.entrabackup.cluster.account.KeyProvenance;
import java.time.Instant;
import java.util.Optional;

/**
 * Four eyes means two holders, not two keys: a key that holds {@code admin} could otherwise make (or rotate) a second
 * key, be handed its secret, and approve its own request with it. So an approving key must not be one whose secret
 * the requesting key could know (made or last rotated by it, directly or through keys it made), the requesting key
 * must not be one the approving key could know, and the approving key's secret must have been issued before the
 * request was made: a key minted or taken over after a request cannot be the second pair of eyes on it. What this
 * cannot see: one key that made both keys beforehand (http-api/API-SECURITY.md says so).
 */
public final class ApprovingKeys {

  private ApprovingKeys() {}

  /** Why {@code approver} may not approve a request {@code requester} made at {@code requestedAt}; empty if it may. */
  public static Optional<String> refusal(KeyProvenance approver, Optional<KeyProvenance> requester,
      Instant requestedAt) {
    String requesterId = requester.map(KeyProvenance::keyId).orElse("");
    if (approver.knowableBy(requesterId)) {
      return Optional.of("API key " + approver.keyId() + " was made or rotated by key " + requesterId
          + ", which asked for this job: its holder could know this key's secret. Four eyes need a key that key did"
          + " not issue");
    }
    if (requester.map(found -> found.knowableBy(approver.keyId())).orElse(false)) {
      return Optional.of("API key " + requesterId + ", which asked for this job, was made or rotated by this key "
          + approver.keyId() + ": its holder could have asked for it. Four eyes need a key that did not issue the"
          + " requester's");
    }
    if (!approver.issuedAt().isBefore(requestedAt)) {
      return Optional.of("API key " + approver.keyId() + " was made or rotated at " + approver.issuedAt()
          + ", after this job was asked for at " + requestedAt + ": only a key issued before the request may approve"
          + " it");
    }
    return Optional.empty();
  }
}
