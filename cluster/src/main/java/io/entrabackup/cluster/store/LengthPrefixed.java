package io.entrabackup.cluster.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A text as its 4-byte big-endian length then its UTF-8: the one field encoding of what we hash (HashFields) and of
 * the additional data we bind ciphertexts to (crypto.Aad), so ("ab", "c") and ("a", "bc") never encode alike.
 */
public final class LengthPrefixed {

  private LengthPrefixed() {}

  public static void write(ByteArrayOutputStream out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    writeLength(out, bytes.length);
    out.writeBytes(bytes);
  }

  /** A length alone: -1 marks an absent field, distinct from an empty one. */
  public static void writeLength(ByteArrayOutputStream out, int length) {
    out.write(length >>> 24);
    out.write(length >>> 16);
    out.write(length >>> 8);
    out.write(length);
  }
}
