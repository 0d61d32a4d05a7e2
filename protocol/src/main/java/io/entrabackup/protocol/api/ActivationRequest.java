package io.entrabackup.protocol.api;

/**
 * Body of {@code POST /api/v1/tenants/{id}/activation}.
 *
 * @param immediateBackup back up right after consent (true) or wait for the schedule
 * @param frequency ISO-8601 duration; only {@code P1D} today
 */
public record ActivationRequest(Boolean immediateBackup, String frequency) {}
