package io.entrabackup.protocol.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What is to be appended to an account's audit trail; the trail gives it its sequence number and hashes.
 *
 * @param trail the account whose trail it goes to ({@link AuditEntry#INSTALL_TRAIL} for what no account owns)
 * @param keyId the API key that acted, if one did
 * @param source the client's address, as far as trusted
 * @param userAgent the client's User-Agent, truncated
 * @param target what was acted on: {@code tenant}, {@code job}, {@code key}, {@code account}, {@code object}, ...
 * @param status the HTTP status answered, 0 when the action was not an HTTP request (a projection saw it)
 */
public record NewAuditRecord(String trail, Instant at, Optional<String> keyId, Optional<String> source,
    Optional<String> userAgent, AuditAction action, Map<String, String> target, AuditOutcome outcome, int status) {

  public NewAuditRecord {
    target = Map.copyOf(new TreeMap<>(target));
  }
}
