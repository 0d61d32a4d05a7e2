package io.entrabackup.protocol.api;

import java.time.Instant;

/**
 * Answer to Activate Backup: send the tenant admin's browser to {@code consentUrl} before
 * {@code expiresAt}; the link works once.
 */
public record Activation(String tenantId, String consentUrl, Instant expiresAt) {}
