package io.entrabackup.cluster.audit;

import io.entrabackup.protocol.audit.AuditEntry;
import io.entrabackup.protocol.audit.NewAuditRecord;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
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
    var out = new ByteArrayOutputStream();
    field(out, FORMAT);
    field(out, entry.account());
    field(out, Long.toString(entry.sequence()));
    // Milliseconds since the epoch: what a Cassandra timestamp keeps, so a stored record hashes as it was sealed.
    field(out, Long.toString(entry.at().toEpochMilli()));
    field(out, entry.keyId());
    field(out, entry.source());
    field(out, entry.userAgent());
    field(out, entry.action().apiName());
    Map<String, String> target = new TreeMap<>(entry.target());
    field(out, Integer.toString(target.size()));
    target.forEach((name, value) -> {
      field(out, name);
      field(out, value);
    });
    field(out, entry.outcome().apiName());
    field(out, Integer.toString(entry.status()));
    field(out, entry.previousHash());
    return HexFormat.of().formatHex(sha256().digest(out.toByteArray()));
  }

  private static AuditEntry withHash(AuditEntry entry, String hash) {
    return new AuditEntry(entry.account(), entry.sequence(), entry.at(), entry.keyId(), entry.source(),
        entry.userAgent(), entry.action(), entry.target(), entry.outcome(), entry.status(), entry.previousHash(), hash);
  }

  private static void field(ByteArrayOutputStream out, Optional<String> value) {
    if (value.isEmpty()) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
    } else {
      field(out, value.get());
    }
  }

  private static void field(ByteArrayOutputStream out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
