package io.entrabackup.protocol.account;

import java.time.Instant;

/**
 * A key just created: {@code key} is the secret to send as {@code Authorization: Bearer <key>}. It is
 * in this answer only; we keep its SHA-256 hash.
 */
public record NewApiKey(String accountId, String keyId, String name, String key, Instant createdAt) {}
