package io.entrabackup.protocol.restore;

import java.util.Optional;

/**
 * Something a restore did not (or could not) put back, with why. {@code reason} is a stable code an operator can
 * filter on; {@code message} says it in words; {@code graphCode} is Microsoft's error code when Graph refused.
 *
 * @param item what was skipped: a property name, {@code members/{id}}, {@code owners/{id}}, {@code memberOf/{groupId}},
 *     {@code roleAssignments/{roleDefinitionId}@{scope}}, or {@code object}
 */
public record SkippedItem(String objectType, String objectId, String item, SkipReason reason, String message,
    Optional<String> graphCode) {

  public static SkippedItem of(String objectType, String objectId, String item, SkipReason reason, String message) {
    return new SkippedItem(objectType, objectId, item, reason, message, Optional.empty());
  }
}
