package io.entrabackup.protocol.restore;

import java.util.Optional;

/**
 * A restore job's own facts on System Status, and its audit record: who (account and API key id) restored what, from
 * which version, and what came of it.
 *
 * @param action how the object came back, once known
 * @param newObjectId the id of the recreated object (a recreated object always gets a new id)
 * @param changes writes that changed the directory
 * @param skipped items skipped (listed at {@code /api/v1/jobs/{id}/skipped-items})
 * @param temporaryPassword a recreated user's temporary password: present once, on the first read of the finished job
 *     by its account after the restore ended; never stored
 */
public record RestoreDetails(
    String objectType,
    String objectId,
    String versionId,
    String requestedBy,
    Optional<RestoreAction> action,
    Optional<String> newObjectId,
    long changes,
    long skipped,
    Optional<String> temporaryPassword) {

  public RestoreDetails withTemporaryPassword(Optional<String> password) {
    return new RestoreDetails(objectType, objectId, versionId, requestedBy, action, newObjectId, changes, skipped,
        password);
  }
}
