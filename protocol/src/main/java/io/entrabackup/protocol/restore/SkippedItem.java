package io.entrabackup.protocol.restore;

import java.util.Optional;

/**
 * Something a restore did not (or could not) put back, with why. {@code reason} is a stable code an operator can
 * filter on; {@code message} says it in words; {@code graphCode} is Microsoft's error code when Graph refused.
 *
 * @param item what was skipped: a property name, {@code members/{id}}, {@code owners/{id}}, {@code memberOf/{groupId}},
 *     {@code roleAssignments/{roleDefinitionId}@{scope}}, or {@code object}
 */
public record SkippedItem(String objectType, String objectId, String item, String reason, String message,
    Optional<String> graphCode) {

  /** Graph's write rules say no before we ask. */
  public static final String READ_ONLY = "read_only_property";
  public static final String SYNCED = "synced_from_on_premises";
  public static final String DYNAMIC_MEMBERSHIP = "dynamic_group_members";
  public static final String MAIL_ENABLED = "mail_enabled_or_distribution_group";
  public static final String NOT_RESTORED = "not_restored_by_entra_backup";
  /** Graph said no when we asked. */
  public static final String MEMBER_GONE = "member_no_longer_exists";
  public static final String PERMISSION_REFUSED = "permission_refused";
  public static final String REFUSED = "refused_by_graph";

  public static SkippedItem of(String objectType, String objectId, String item, String reason, String message) {
    return new SkippedItem(objectType, objectId, item, reason, message, Optional.empty());
  }
}
