package io.entrabackup.cluster.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A group a user was a member of at the restored version, and how that group stands now.
 *
 * @param liveGroup the group's properties now; empty when it no longer exists
 * @param liveMember whether the user is a member now
 */
record MembershipAtVersion(String groupId, String groupName, Optional<ObjectNode> liveGroup, boolean liveMember) {}
