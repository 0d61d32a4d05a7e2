package io.entrabackup.cluster.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Additional authenticated data naming where a ciphertext is stored (table, column, row key): a value sealed for one
 * place fails to open in another, so rows cannot be swapped. Each part is length-prefixed, so ("ab", "c") and ("a",
 * "bc") differ.
 */
public final class Aad {

  private Aad() {}

  public static byte[] of(String... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    for (String part : parts) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      out.write(bytes.length >>> 24);
      out.write(bytes.length >>> 16);
      out.write(bytes.length >>> 8);
      out.write(bytes.length);
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }
}
