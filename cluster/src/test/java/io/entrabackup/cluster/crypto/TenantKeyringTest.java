package io.entrabackup.cluster.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.cql.Row;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.cluster.store.LocalCassandra;
import io.entrabackup.cluster.store.TestKeyspace;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The data key table on the real local Cassandra: creation once, caching, destruction, rotation. */
class TenantKeyringTest {

  @RegisterExtension
  static final TestKeyspace cassandra = TestKeyspace.withNodeSchema("keys");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final byte[] AAD = Aad.of("test", "row-1");
  private static final byte[] PLAIN = "Zoë Quartermaine".getBytes(StandardCharsets.UTF_8);
  private static final String OLD = Base64.getEncoder().encodeToString(filled(1));
  private static final String NEW = Base64.getEncoder().encodeToString(filled(2));

  private static byte[] filled(int value) {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) value);
    return key;
  }

  private static <T> T await(CompletionStage<T> stage) {
    return LocalCassandra.await(stage, TIMEOUT);
  }

  /** A keyring as a node with these master keys has it (its own cache), on the test's keyspace. */
  private static TenantKeyring node(String masterKeys, String current) {
    Config config = ConfigFactory.parseString("entra-backup.encryption { master-keys = " + masterKeys
        + ", current-master-key = " + current + " }").withFallback(cassandra.config());
    var table = new DataKeyTable(() -> cassandra.session().underlying(), cassandra.keyspace());
    return new TenantKeyring(table, EncryptionSettings.create(config), Clock.systemUTC());
  }

  private static TenantKeyring oldNode() {
    return node("[{id = old, key = \"" + OLD + "\"}]", "old");
  }

  private static TenantKeyring rotatedNode() {
    return node("[{id = old, key = \"" + OLD + "\"}, {id = new, key = \"" + NEW + "\"}]", "new");
  }

  private static List<Row> keyRows(String tenant) {
    return await(cassandra.session().selectAll("SELECT * FROM " + cassandra.keyspace()
        + ".tenant_data_keys WHERE tenant_id = ?", tenant));
  }

  private static Throwable failure(CompletionStage<?> stage) {
    CompletionException e = assertThrows(CompletionException.class, () -> stage.toCompletableFuture().join());
    return e.getCause();
  }

  @Test
  void twoNodesAskingAtOnceShareOneDataKeyStoredOnlyWrapped() {
    String tenant = UUID.randomUUID().toString();
    TenantKeyring a = oldNode();
    TenantKeyring b = oldNode();
    CompletableFuture<TenantCipher> fromA = a.cipherFor(tenant).toCompletableFuture();
    CompletableFuture<TenantCipher> fromB = b.cipherFor(tenant).toCompletableFuture();
    TenantCipher cipherA = await(fromA);
    TenantCipher cipherB = await(fromB);
    assertArrayEquals(PLAIN, cipherB.open(cipherA.seal(PLAIN, AAD), AAD));
    List<Row> rows = keyRows(tenant);
    assertEquals(1, rows.size());
    assertEquals(1, rows.get(0).getInt("key_version"));
    assertEquals("old", rows.get(0).getString("master_key_id"));
    assertEquals(12 + 32 + 16, rows.get(0).getByteBuffer("wrapped_key").remaining());
    // Loaded once, then from memory.
    assertTrue(a.cachedCipher(tenant).isPresent());
    assertTrue(a.cipherFor(tenant).toCompletableFuture().isDone());
  }

  @Test
  void aDestroyedKeyMakesTheTenantsDataUnreadableOnEveryNodeWithAClearError() {
    String tenant = UUID.randomUUID().toString();
    TenantKeyring a = oldNode();
    byte[] sealed = await(a.cipherFor(tenant)).seal(PLAIN, AAD);
    await(a.destroy(tenant));
    assertInstanceOf(TenantKeyDestroyed.class, failure(a.cipherFor(tenant)));
    assertInstanceOf(TenantKeyDestroyed.class, failure(oldNode().cipherFor(tenant)));
    assertFalse(a.cachedCipher(tenant).isPresent());
    Row row = keyRows(tenant).get(0);
    assertNull(row.getByteBuffer("wrapped_key"));
    assertNull(row.getString("master_key_id"));
    assertTrue(row.getInstant("destroyed_at") != null);
    // What was sealed before stays sealed: no node can open it any more.
    assertEquals(TenantCipher.AES_GCM, sealed[0]);
    // Rewrap leaves it destroyed.
    await(rotatedNode().rewrapAll());
    assertNull(keyRows(tenant).get(0).getByteBuffer("wrapped_key"));
  }

  @Test
  void aNewCurrentMasterKeyWrapsNewKeysAtOnceAndRewrapMovesOldOnesWhileOldDataStaysReadable() {
    String before = UUID.randomUUID().toString();
    String after = UUID.randomUUID().toString();
    byte[] sealedBefore = await(oldNode().cipherFor(before)).seal(PLAIN, AAD);
    TenantKeyring rotated = rotatedNode();
    await(rotated.cipherFor(after));
    assertEquals("new", keyRows(after).get(0).getString("master_key_id"));
    assertEquals("old", keyRows(before).get(0).getString("master_key_id"));
    // Readable throughout: before the rewrap by a node with both keys...
    assertArrayEquals(PLAIN, await(rotatedNode().cipherFor(before)).open(sealedBefore, AAD));
    TenantKeyring.RewrapReport report = await(rotated.rewrapAll());
    assertTrue(report.rewrapped() >= 1);
    assertEquals("new", keyRows(before).get(0).getString("master_key_id"));
    assertTrue(keyRows(before).get(0).getInstant("rewrapped_at") != null);
    // ...and after it by a node that holds the new key only.
    TenantKeyring newOnly = node("[{id = new, key = \"" + NEW + "\"}]", "new");
    assertArrayEquals(PLAIN, await(newOnly.cipherFor(before)).open(sealedBefore, AAD));
    // A second run finds nothing left to do.
    assertEquals(0, await(rotated.rewrapAll()).rewrapped());
    // A node with only the old key can no longer unwrap: it says which key is missing.
    Throwable missing = failure(oldNode().cipherFor(before));
    assertInstanceOf(MasterKeyUnavailable.class, missing);
    assertTrue(missing.getMessage().contains("'new'"));
  }

  @Test
  void deployKeysRewrapRewrapsUnderTheCurrentKeyAndSaysSo() {
    String tenant = UUID.randomUUID().toString();
    await(oldNode().cipherFor(tenant));
    Config config = ConfigFactory.parseString("entra-backup.encryption { master-keys = [{id = old, key = \"" + OLD
        + "\"}, {id = new, key = \"" + NEW + "\"}], current-master-key = new }").withFallback(cassandra.config());
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    int status = KeysCommand.run(config, List.of("rewrap"), new java.io.PrintStream(out, true),
        new java.io.PrintStream(err, true));
    assertEquals(0, status, err.toString());
    assertTrue(out.toString().contains("re-wrapped under master key 'new'"), out.toString());
    assertEquals("new", keyRows(tenant).get(0).getString("master_key_id"));
    assertEquals(2, KeysCommand.run(config, List.of("rotate"), new java.io.PrintStream(out, true),
        new java.io.PrintStream(err, true)));
  }

  @Test
  void withEncryptionOffAndNoMasterKeyValuesAreStoredAsMarkedPlaintext() {
    Config config = ConfigFactory.parseString("entra-backup.encryption { enabled = off, master-keys = [] }")
        .withFallback(cassandra.config());
    var table = new DataKeyTable(() -> cassandra.session().underlying(), cassandra.keyspace());
    var keyring = new TenantKeyring(table, EncryptionSettings.create(config), Clock.systemUTC());
    String tenant = UUID.randomUUID().toString();
    TenantCipher cipher = await(keyring.cipherFor(tenant));
    assertFalse(cipher.sealing());
    byte[] sealed = cipher.seal(PLAIN, AAD);
    assertEquals(0, sealed[0]);
    assertArrayEquals(PLAIN, await(oldNode().cipherFor(UUID.randomUUID().toString())).open(sealed, AAD));
    assertTrue(keyRows(tenant).isEmpty());
  }
}
