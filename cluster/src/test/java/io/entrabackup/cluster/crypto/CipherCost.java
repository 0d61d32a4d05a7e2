package io.entrabackup.cluster.crypto;

import java.util.Map;

/**
 * Prints what sealing costs per value on this machine (not a test: a figure for ENCRYPTION.md). Run after
 * {@code mvn -o -q -pl cluster -am test-compile}:
 * {@code java -cp cluster/target/classes:cluster/target/test-classes io.entrabackup.cluster.crypto.CipherCost}.
 */
public final class CipherCost {

  private CipherCost() {}

  public static void main(String[] args) {
    TenantCipher cipher = TenantCipher.of("tenant", Map.of(1, new byte[32]), true);
    byte[] aad = Aad.of("snapshot state", "users", "3f2c0b1e-6b7a-4f0e-9d59-2a1c0e0b9f11",
        "9a7e0c2e-8f1d-11ee-b9d1-0242ac120002");
    for (int size : new int[] {32, 1024, 70 * 1024}) {
      byte[] plain = new byte[size];
      int rounds = Math.max(2_000, 20_000_000 / (size + 64));
      for (int warm = 0; warm < 3; warm++) {
        measure(cipher, plain, aad, rounds, warm == 2);
      }
    }
    long start = System.nanoTime();
    int tokens = 200_000;
    for (int i = 0; i < tokens; i++) {
      cipher.blindIndex("snapshot search prefix", "adel");
    }
    System.out.printf("blind index token: %.2f us%n", (System.nanoTime() - start) / 1e3 / tokens);
  }

  private static void measure(TenantCipher cipher, byte[] plain, byte[] aad, int rounds, boolean print) {
    byte[] sealed = null;
    long start = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      sealed = cipher.seal(plain, aad);
    }
    long sealNanos = System.nanoTime() - start;
    start = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      cipher.open(sealed, aad);
    }
    long openNanos = System.nanoTime() - start;
    if (print) {
      System.out.printf("%,7d bytes: seal %.2f us, open %.2f us (%d rounds)%n", plain.length,
          sealNanos / 1e3 / rounds, openNanos / 1e3 / rounds, rounds);
    }
  }
}
