package io.entrabackup.protocol.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One record of an account's audit trail, as stored and as {@code GET /api/v1/audit} answers it.
 *
 * @param sequence its place in the account's trail, from 1, without gaps
 * @param previousHash the hash of record {@code sequence - 1} (64 zeros for the first)
 * @param hash SHA-256 over the record's canonical encoding, which includes {@code previousHash}: changing or removing
 *     a record breaks the chain after it
 */
public record AuditEntry(String account, long sequence, Instant at, Optional<String> keyId, Optional<String> source,
    Optional<String> userAgent, AuditAction action, Map<String, String> target, AuditOutcome outcome, int status,
    String previousHash, String hash) {

  /** The trail of what concerns the install rather than one account (failed sign-ins, refused consent callbacks). */
  public static final String INSTALL_TRAIL = "_install";

  public AuditEntry {
    target = Map.copyOf(target);
  }
}
