package io.entrabackup.cluster.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantCipherTest {

  private static final byte[] AAD = Aad.of("snapshot_versions", "state", "users", "u-1");
  private static final byte[] PLAIN = "{\"displayName\":\"Zoë Quartermaine\"}".getBytes(StandardCharsets.UTF_8);

  private static byte[] key(int seed) {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) seed);
    return key;
  }

  private static TenantCipher cipher(Map<Integer, byte[]> keys) {
    return TenantCipher.of("tenant-a", keys, true);
  }

  @Test
  void aSealedValueOpensWithItsAadAndShowsNothingOfThePlaintext() {
    TenantCipher cipher = cipher(Map.of(1, key(1)));
    byte[] sealed = cipher.seal(PLAIN, AAD);
    assertEquals(TenantCipher.AES_GCM, sealed[0]);
    assertEquals(1, ByteBuffer.wrap(sealed, 1, 4).getInt());
    assertEquals(1 + 4 + 12 + PLAIN.length + 16, sealed.length);
    assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("Quartermaine"));
    assertArrayEquals(PLAIN, cipher.open(sealed, AAD));
    // A fresh nonce each time: the same value never gives the same bytes twice.
    assertFalse(java.util.Arrays.equals(sealed, cipher.seal(PLAIN, AAD)));
  }

  @Test
  void anyAlteredByteIsRejected() {
    TenantCipher cipher = cipher(Map.of(1, key(1)));
    byte[] sealed = cipher.seal(PLAIN, AAD);
    for (int i = 5; i < sealed.length; i++) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 0x01;
      assertThrows(CiphertextRejected.class, () -> cipher.open(tampered, AAD), "byte " + i);
    }
    byte[] truncated = java.util.Arrays.copyOf(sealed, sealed.length - 1);
    assertThrows(CiphertextRejected.class, () -> cipher.open(truncated, AAD));
  }

  @Test
  void aValueMovedToAnotherRowOrTenantDoesNotOpen() {
    TenantCipher cipher = cipher(Map.of(1, key(1)));
    byte[] sealed = cipher.seal(PLAIN, AAD);
    assertThrows(CiphertextRejected.class,
        () -> cipher.open(sealed, Aad.of("snapshot_versions", "state", "users", "u-2")));
    // Another tenant holding the very same key bytes still refuses it: the tenant id is in the AAD.
    TenantCipher other = TenantCipher.of("tenant-b", Map.of(1, key(1)), true);
    assertThrows(CiphertextRejected.class, () -> other.open(sealed, AAD));
  }

  @Test
  void theKeyVersionInTheHeaderChoosesTheKeyAndNewValuesUseTheNewest() {
    TenantCipher before = cipher(Map.of(1, key(1)));
    byte[] old = before.seal(PLAIN, AAD);
    TenantCipher after = cipher(Map.of(1, key(1), 2, key(2)));
    byte[] fresh = after.seal(PLAIN, AAD);
    assertEquals(2, ByteBuffer.wrap(fresh, 1, 4).getInt());
    assertArrayEquals(PLAIN, after.open(old, AAD));
    assertArrayEquals(PLAIN, after.open(fresh, AAD));
    assertThrows(CiphertextRejected.class, () -> before.open(fresh, AAD));
    // Rewriting the version in the header does not pick another key unnoticed: the header is authenticated.
    byte[] relabelled = fresh.clone();
    ByteBuffer.wrap(relabelled, 1, 4).putInt(1);
    assertThrows(CiphertextRejected.class, () -> after.open(relabelled, AAD));
  }

  @Test
  void plaintextModeMarksValuesAndBothKindsOpen() {
    TenantCipher keyed = cipher(Map.of(1, key(1)));
    TenantCipher off = TenantCipher.of("tenant-a", Map.of(1, key(1)), false);
    byte[] plain = off.seal(PLAIN, AAD);
    assertEquals(TenantCipher.PLAIN, plain[0]);
    assertArrayEquals(PLAIN, keyed.open(plain, AAD));
    assertArrayEquals(PLAIN, off.open(keyed.seal(PLAIN, AAD), AAD));
    assertThrows(CiphertextRejected.class, () -> keyed.open(new byte[] {7, 1, 2}, AAD));
  }

  @Test
  void textHelpersRoundTripAndKeepNull() {
    TenantCipher cipher = cipher(Map.of(1, key(1)));
    String sealed = cipher.sealText("Zoë", AAD);
    assertFalse(sealed.contains("Zo"));
    assertEquals("Zoë", cipher.openText(sealed, AAD));
    assertEquals(null, cipher.sealText(null, AAD));
    assertEquals(null, cipher.openText(null, AAD));
  }

  @Test
  void blindIndexesAreEqualForEqualValuesOfOneTenantOnlyAndSurviveANewDataKeyVersion() {
    TenantCipher a = cipher(Map.of(1, key(1)));
    TenantCipher aRotated = cipher(Map.of(1, key(1), 2, key(2)));
    TenantCipher b = TenantCipher.of("tenant-b", Map.of(1, key(3)), true);
    assertEquals(a.blindIndex("name", "zoe"), a.blindIndex("name", "zoe"));
    assertEquals(a.blindIndex("name", "zoe"), aRotated.blindIndex("name", "zoe"));
    assertNotEquals(a.blindIndex("name", "zoe"), a.blindIndex("name", "zoa"));
    assertNotEquals(a.blindIndex("name", "zoe"), a.blindIndex("upn", "zoe"));
    assertNotEquals(a.blindIndex("name", "zoe"), b.blindIndex("name", "zoe"));
    assertEquals(22, a.blindIndex("name", "zoe").length());
  }

  @Test
  void theKeyedHashDependsOnTheTenantsKey() throws Exception {
    byte[] a = cipher(Map.of(1, key(1))).keyedHash("content").doFinal(PLAIN);
    byte[] b = TenantCipher.of("tenant-b", Map.of(1, key(3)), true).keyedHash("content").doFinal(PLAIN);
    byte[] plainSha = java.security.MessageDigest.getInstance("SHA-256").digest(PLAIN);
    assertFalse(java.util.Arrays.equals(a, b));
    assertFalse(java.util.Arrays.equals(a, plainSha));
  }

  @Test
  void masterKeysWrapBoundToTenantAndVersionAndOldKeysStillUnwrapAfterRotation() {
    String k1 = Base64.getEncoder().encodeToString(key(11));
    String k2 = Base64.getEncoder().encodeToString(key(12));
    var first = ConfiguredMasterKeys.fromConfig(ConfigFactory.parseString(
        "master-keys = [{id = m1, key = \"" + k1 + "\"}], current-master-key = m1"), name -> null).requireCurrent();
    var rotated = ConfiguredMasterKeys.fromConfig(ConfigFactory.parseString(
        "master-keys = [{id = m1, key = \"" + k1 + "\"}, {id = m2, env = NEW_KEY}], current-master-key = m2"),
        name -> name.equals("NEW_KEY") ? k2 : null).requireCurrent();
    byte[] dataKey = key(42);
    WrappedKey wrapped = first.wrap("tenant-a", 1, dataKey).toCompletableFuture().join();
    assertEquals("m1", wrapped.masterKeyId());
    assertArrayEquals(dataKey, rotated.unwrap(wrapped, "tenant-a", 1).toCompletableFuture().join());
    WrappedKey rewrapped = rotated.wrap("tenant-a", 1, dataKey).toCompletableFuture().join();
    assertEquals("m2", rewrapped.masterKeyId());
    assertArrayEquals(dataKey, rotated.unwrap(rewrapped, "tenant-a", 1).toCompletableFuture().join());
    assertThrows(Exception.class, () -> rotated.unwrap(wrapped, "tenant-b", 1).toCompletableFuture().join());
    assertThrows(Exception.class, () -> rotated.unwrap(wrapped, "tenant-a", 2).toCompletableFuture().join());
    var e = assertThrows(Exception.class, () -> first.unwrap(rewrapped, "tenant-a", 1).toCompletableFuture().join());
    assertTrue(e.getCause() instanceof MasterKeyUnavailable);
  }

  @Test
  void aMissingOrMalformedMasterKeyFailsWithWhatToFix() {
    var missing = ConfiguredMasterKeys.fromConfig(ConfigFactory.parseString(
        "master-keys = [{id = m1, env = ENTRA_MASTER_KEY}], current-master-key = m1"), name -> null);
    assertTrue(missing.isEmpty());
    var e = assertThrows(MasterKeyUnavailable.class, missing::requireCurrent);
    assertTrue(e.getMessage().contains("ENTRA_MASTER_KEY"));
    assertThrows(MasterKeyUnavailable.class, () -> ConfiguredMasterKeys.fromConfig(ConfigFactory.parseString(
        "master-keys = [{id = m1, key = \"c2hvcnQ=\"}], current-master-key = m1"), name -> null));
  }
}
