package io.entrabackup.protocol.account;

/** Answer to account creation: the account and its first API key, shown once. */
public record CreatedAccount(AccountView account, NewApiKey apiKey) {}
