package io.entrabackup.cluster.store;

import io.entrabackup.cluster.snapshot.CanonicalJson;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The unambiguous encoding our hash chains hash (the audit trail's records, the snapshot history's versions): every
 * field length-prefixed, an absent field (length -1) distinct from an empty one, so no two different sequences of
 * fields encode alike and no field can borrow bytes from its neighbour.
 */
public final class HashFields {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  /** Starts with the chain's format name, so a later format can live beside this one. */
  public HashFields(String format) {
    add(format);
  }

  public HashFields add(String value) {
    LengthPrefixed.write(out, value);
    return this;
  }

  public HashFields add(Optional<String> value) {
    if (value.isEmpty()) {
      LengthPrefixed.writeLength(out, -1);
      return this;
    }
    return add(value.get());
  }

  /** SHA-256 of the fields so far, lower-case hex. */
  public String sha256Hex() {
    return HexFormat.of().formatHex(CanonicalJson.sha256().digest(out.toByteArray()));
  }
}
