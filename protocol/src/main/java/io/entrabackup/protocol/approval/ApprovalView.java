package io.entrabackup.protocol.approval;

import java.time.Instant;
import java.util.Optional;

/**
 * A four-eyes job's approval on System Status: who asked and why it waits, until when, and who decided what.
 *
 * @param requestedBy the API key id that asked for the job
 * @param reason why the job waits (the account's rule that applied)
 * @param expiresAt when the request expires unless decided
 * @param decision approved, rejected or expired, once decided
 * @param decidedBy the API key id that approved or rejected it (absent for an expiry)
 */
public record ApprovalView(
    String requestedBy,
    String reason,
    Instant requestedAt,
    Instant expiresAt,
    Optional<ApprovalDecision> decision,
    Optional<String> decidedBy,
    Optional<Instant> decidedAt) {}
