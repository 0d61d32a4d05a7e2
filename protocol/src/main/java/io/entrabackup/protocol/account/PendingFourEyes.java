package io.entrabackup.protocol.account;

import java.time.Instant;

/**
 * A relaxation of an account's four-eyes rule that is not in force yet: a rule turned off or a shorter approval
 * window waits for the approval window in force, so one admin key cannot turn four eyes off, restore alone and turn
 * it back on unseen.
 *
 * @param fourEyes the rule as it will be from {@code from}
 * @param from when it takes effect
 * @param requestedBy the API key id that asked for it
 * @param requestedAt when it asked
 */
public record PendingFourEyes(FourEyes fourEyes, Instant from, String requestedBy, Instant requestedAt) {}
