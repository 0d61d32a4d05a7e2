package io.entrabackup.cluster.crypto;

/** A data key encrypted under the master key {@code masterKeyId} (nonce and AES-GCM ciphertext with its tag). */
public record WrappedKey(String masterKeyId, byte[] bytes) {}
