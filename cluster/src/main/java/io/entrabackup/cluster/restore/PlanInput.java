package io.entrabackup.cluster.restore;

import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.protocol.restore.RoleAssignmentRef;
import java.util.List;

/**
 * Everything the planner compares: the chosen version, the live object, and for users the groups and role
 * assignments they had at that version (with how those stand now).
 *
 * @param targetAssignments role assignments of the object at the version (users), or the assignment itself
 * @param liveAssignments the same principal's role assignments now (users), or live assignments equal to it
 */
record PlanInput(ObjectSnapshot target, LiveObject live, List<MembershipAtVersion> memberships,
    List<RoleAssignmentRef> targetAssignments, List<RoleAssignmentRef> liveAssignments) {

  static PlanInput of(ObjectSnapshot target, LiveObject live) {
    return new PlanInput(target, live, List.of(), List.of(), List.of());
  }
}
