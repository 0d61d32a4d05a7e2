package io.entrabackup.cluster.crypto;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Master keys from configuration ({@code entra-backup.encryption.master-keys}): each entry an id and one source, a file
 * or an environment variable holding the base64 of 32 random bytes ({@code key}, the base64 itself, is for tests).
 * Keys are read once, at start; a source that cannot be read fails the start with what to fix.
 */
public final class ConfiguredMasterKeys implements MasterKeys {

  private final Map<String, SecretKey> keys;
  private final String current;

  ConfiguredMasterKeys(Map<String, SecretKey> keys, String current) {
    this.keys = Map.copyOf(keys);
    this.current = current;
  }

  /** From the {@code entra-backup.encryption} section; {@code env} looks variables up (System::getenv). */
  public static ConfiguredMasterKeys fromConfig(Config encryption, Function<String, String> env) {
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    for (Config entry : encryption.getConfigList("master-keys")) {
      String id = entry.getString("id");
      byte[] material = read(id, entry, env);
      if (material == null) {
        continue; // an unset variable: that key is simply not configured here (e.g. only current keys on this node)
      }
      if (keys.put(id, new SecretKeySpec(material, "AES")) != null) {
        throw new IllegalStateException("entra-backup.encryption.master-keys lists id " + id + " twice");
      }
    }
    return new ConfiguredMasterKeys(keys, encryption.getString("current-master-key"));
  }

  /** Whether any key is configured at all (encryption off and none configured: data is stored as plaintext). */
  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** Fails with what to fix unless the current key is configured. */
  public ConfiguredMasterKeys requireCurrent() {
    if (!keys.containsKey(current)) {
      throw new MasterKeyUnavailable("the current master key '" + current + "' (entra-backup.encryption"
          + ".current-master-key) is not configured: set its source in entra-backup.encryption.master-keys, e.g. the"
          + " environment variable ENTRA_MASTER_KEY to the base64 of 32 random bytes (head -c 32 /dev/urandom | base64)");
    }
    return this;
  }

  @Override
  public String currentId() {
    return current;
  }

  @Override
  public CompletionStage<WrappedKey> wrap(String tenantId, int keyVersion, byte[] dataKey) {
    try {
      SecretKey key = key(current);
      byte[] out = new byte[Gcm.sealedLength(dataKey.length)];
      Gcm.seal(key, dataKey, out, 0, aad(tenantId, keyVersion));
      return CompletableFuture.completedFuture(new WrappedKey(current, out));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<byte[]> unwrap(WrappedKey wrapped, String tenantId, int keyVersion) {
    try {
      return CompletableFuture.completedFuture(
          Gcm.open(key(wrapped.masterKeyId()), wrapped.bytes(), 0, aad(tenantId, keyVersion)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Binds a wrapped data key to its tenant and version: a wrapped key copied to another row does not unwrap. */
  private static byte[] aad(String tenantId, int keyVersion) {
    return Aad.of("entra-backup data key", tenantId, Integer.toString(keyVersion));
  }

  private SecretKey key(String id) {
    SecretKey key = keys.get(id);
    if (key == null) {
      throw new MasterKeyUnavailable("master key '" + id + "' is not configured (entra-backup.encryption.master-keys):"
          + " data keys wrapped under it cannot be unwrapped; add it back (it may stop being current, not be removed,"
          + " until deploy/keys rewrap has run)");
    }
    return key;
  }

  private static byte[] read(String id, Config entry, Function<String, String> env) {
    String base64;
    String source;
    if (entry.hasPath("file")) {
      source = "file " + entry.getString("file");
      try {
        base64 = Files.readString(Path.of(entry.getString("file")), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new MasterKeyUnavailable("master key '" + id + "': cannot read " + source + ": " + e.getMessage());
      }
    } else if (entry.hasPath("env")) {
      source = "environment variable " + entry.getString("env");
      base64 = env.apply(entry.getString("env"));
      if (base64 == null || base64.isBlank()) {
        return null;
      }
    } else if (entry.hasPath("key")) {
      source = "setting key";
      base64 = entry.getString("key");
    } else {
      throw new IllegalStateException("master key '" + id + "' names no source (file, env or key)");
    }
    byte[] material;
    try {
      material = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new MasterKeyUnavailable("master key '" + id + "' (" + source + ") is not base64");
    }
    if (material.length != Gcm.KEY_BYTES) {
      throw new MasterKeyUnavailable("master key '" + id + "' (" + source + ") must be 32 bytes, base64-encoded; it is "
          + material.length + " bytes");
    }
    return material;
  }
}
