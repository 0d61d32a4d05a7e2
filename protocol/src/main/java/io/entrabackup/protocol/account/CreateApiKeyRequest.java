package io.entrabackup.protocol.account;

/** Body of {@code POST /api/v1/accounts/{id}/keys}: a name saying where the key is used. */
public record CreateApiKeyRequest(String name) {}
