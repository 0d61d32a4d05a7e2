package io.entrabackup.protocol.account;

import java.time.Instant;
import java.util.Optional;

/** An API key as listed: never the key itself, which is shown once at creation and stored only hashed. */
public record ApiKeyView(String keyId, String name, boolean admin, Instant createdAt, Optional<Instant> revokedAt) {}
