package io.entrabackup.protocol.restore;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What a restore of one object to one of its versions would do against the live directory, computed without
 * writing anything. A restore job computes it again when it runs and carries it out.
 *
 * @param liveState live, soft-deleted (in the recycle bin) or gone (deleted for good)
 * @param action {@code update} (the object exists), {@code undelete} (back from the recycle bin, then update) or
 *     {@code recreate} (a new object with a new id, then update)
 * @param propertiesToSet writable properties whose live value differs from the version's, with the version's value
 * @param membershipsToAdd for users: ids of the groups the user was a member of in that version and is not now
 * @param skipped what will not be restored, and why
 */
public record RestorePlan(
    String objectType,
    String objectId,
    String versionId,
    LiveState liveState,
    RestoreAction action,
    Map<String, JsonNode> propertiesToSet,
    List<String> membersToAdd,
    List<String> membersToRemove,
    List<String> ownersToAdd,
    List<String> ownersToRemove,
    List<String> membershipsToAdd,
    List<RoleAssignmentRef> roleAssignmentsToAdd,
    List<RoleAssignmentRef> roleAssignmentsToRemove,
    List<SkippedItem> skipped) {

  /** Writes this plan would make (properties count once as one PATCH each). */
  public int changeCount() {
    return propertiesToSet.size() + membersToAdd.size() + membersToRemove.size() + ownersToAdd.size()
        + ownersToRemove.size() + membershipsToAdd.size() + roleAssignmentsToAdd.size()
        + roleAssignmentsToRemove.size() + (action == RestoreAction.UPDATE ? 0 : 1);
  }
}
