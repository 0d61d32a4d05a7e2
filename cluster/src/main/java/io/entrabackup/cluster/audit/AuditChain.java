package io.entrabackup.cluster.audit;

import io.entrabackup.cluster.store.HashFields;
import io.entrabackup.protocol.audit.AuditEntry;
import io.entrabackup.protocol.audit.NewAuditRecord;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash chain of an audit trail: a record's hash is SHA-256 over a canonical encoding of its fields and the hash
 * of the record before it. The encoding is unambiguous (every field length-prefixed, absent distinct from empty,
 * target entries sorted by name), so no two different records encode alike; it is versioned so a later format can
 * live beside it.
 */
public final class AuditChain {

  /** The previous hash of a trail's first record. */
  public static final String GENESIS = "0".repeat(64);
  private static final String FORMAT = "entra-backup audit v1";

  private AuditChain() {}

  /** The record {@code draft} becomes as number {@code sequence} after a record whose hash is {@code previousHash}. */
  public static AuditEntry seal(NewAuditRecord draft, long sequence, String previousHash) {
    var unsealed = new AuditEntry(draft.trail(), sequence, draft.at().truncatedTo(ChronoUnit.MILLIS), draft.keyId(),
        draft.source(), draft.userAgent(), draft.action(), draft.target(), draft.outcome(), draft.status(),
        previousHash, "");
    return withHash(unsealed, hash(unsealed));
  }

  /** The hash {@code entry}'s fields (and its previous hash) give; a stored hash that differs means an alteration. */
  public static String hash(AuditEntry entry) {
    var fields = new HashFields(FORMAT)
        .add(entry.account())
        .add(Long.toString(entry.sequence()))
        // Milliseconds since the epoch: what a Cassandra timestamp keeps, so a stored record hashes as it was sealed.
        .add(Long.toString(entry.at().toEpochMilli()))
        .add(entry.keyId())
        .add(entry.source())
        .add(entry.userAgent())
        .add(entry.action().apiName());
    Map<String, String> target = new TreeMap<>(entry.target());
    fields.add(Integer.toString(target.size()));
    target.forEach((name, value) -> fields.add(name).add(value));
    return fields.add(entry.outcome().apiName())
        .add(Integer.toString(entry.status()))
        .add(entry.previousHash())
        .sha256Hex();
  }

  private static AuditEntry withHash(AuditEntry entry, String hash) {
    return new AuditEntry(entry.account(), entry.sequence(), entry.at(), entry.keyId(), entry.source(),
        entry.userAgent(), entry.action(), entry.target(), entry.outcome(), entry.status(), entry.previousHash(), hash);
  }
}
