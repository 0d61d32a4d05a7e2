package io.entrabackup.protocol.retention;

/** A retention pass asked for through the API: its job (on System Status, kind {@code retention}). */
public record RetentionRun(String jobId, String tenantId, boolean alreadyRunning) {}
