package io.entrabackup.protocol.account;

/** Body of {@code POST /api/v1/accounts} (install administrators only). */
public record CreateAccountRequest(String id, String displayName) {}
