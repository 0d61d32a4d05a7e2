package io.entrabackup.protocol.account;

import java.time.Instant;

/** An MSP account, the owner of tenants and jobs. */
public record AccountView(String id, String displayName, Instant createdAt) {}
