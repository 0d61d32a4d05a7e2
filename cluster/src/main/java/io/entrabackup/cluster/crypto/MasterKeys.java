package io.entrabackup.cluster.crypto;

import java.util.concurrent.CompletionStage;

/**
 * The keys that wrap tenants' data keys: one current key wraps every new data key, older ones only unwrap. Async so
 * that a KMS (a remote wrap/unwrap call) can stand behind it; {@link ConfiguredMasterKeys} answers from memory.
 */
public interface MasterKeys {

  /** The id of the key {@link #wrap} uses; stored beside each wrapped key so a later reader knows which unwraps it. */
  String currentId();

  /** Wraps {@code dataKey} under the current master key, bound to the tenant and the data key's version. */
  CompletionStage<WrappedKey> wrap(String tenantId, int keyVersion, byte[] dataKey);

  /**
   * The data key inside {@code wrapped}; fails with {@link MasterKeyUnavailable} when no key of that id is configured
   * and with {@link CiphertextRejected} when the wrapped bytes were altered or belong to another tenant or version.
   */
  CompletionStage<byte[]> unwrap(WrappedKey wrapped, String tenantId, int keyVersion);
}
