package io.entrabackup.protocol.backup;

import java.time.Instant;
import java.util.Optional;

/**
 * One backed-up object in a type's list: its name and its latest version.
 *
 * @param detail the line under the name: a user's UPN, else the object's mail, when it has one
 */
public record ObjectItem(String id, String displayName, String versionId, Instant capturedAt, boolean deleted,
    Optional<String> detail) {}
