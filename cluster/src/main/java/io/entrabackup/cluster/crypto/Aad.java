package io.entrabackup.cluster.crypto;

import io.entrabackup.cluster.store.LengthPrefixed;
import java.io.ByteArrayOutputStream;

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
      LengthPrefixed.write(out, part);
    }
    return out.toByteArray();
  }
}
