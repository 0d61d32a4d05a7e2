package io.entrabackup.cluster.restore;

import io.entrabackup.protocol.restore.RestoreAction;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.restore.LiveState;
import io.entrabackup.protocol.restore.RestorePlan;
import io.entrabackup.protocol.restore.RoleAssignmentRef;
import io.entrabackup.protocol.restore.SkipReason;
import io.entrabackup.protocol.restore.SkippedItem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares a version of an object with the live object and says what a restore would write: a pure function, so the
 * plan an operator sees and the plan a restore carries out come from the same rules. Only differences become writes,
 * which is what makes a restore idempotent: run it again and there is nothing left to write.
 */
final class RestorePlanner {

  private RestorePlanner() {}

  static RestorePlan plan(PlanInput input) {
    ObjectSnapshot target = input.target();
    if (target.isTombstone()) {
      throw new IllegalArgumentException("version " + target.versionId() + " records the deletion of the object");
    }
    return switch (target.type()) {
      case USERS, GROUPS -> new Plan(input).directoryObject();
      case DIRECTORY_ROLES -> new Plan(input).directoryRole();
      case ROLE_ASSIGNMENTS -> new Plan(input).roleAssignment();
      case ROLE_DEFINITIONS -> throw new IllegalArgumentException(
          "role definitions are not restored; restore the role assignments that use them");
    };
  }

  /** The action a live state calls for. */
  static RestoreAction action(LiveState live) {
    return switch (live) {
      case LIVE -> RestoreAction.UPDATE;
      case SOFT_DELETED -> RestoreAction.UNDELETE;
      case GONE -> RestoreAction.RECREATE;
    };
  }

  /** One plan being built; the lists fill as the rules go. */
  private static final class Plan {
    final PlanInput input;
    final ObjectSnapshot target;
    final ObjectType type;
    final String typeName;
    final String objectId;
    final Map<String, JsonNode> properties = new LinkedHashMap<>();
    final List<String> membersToAdd = new ArrayList<>();
    final List<String> membersToRemove = new ArrayList<>();
    final List<String> ownersToAdd = new ArrayList<>();
    final List<String> ownersToRemove = new ArrayList<>();
    final List<String> memberships = new ArrayList<>();
    final List<RoleAssignmentRef> assignmentsToAdd = new ArrayList<>();
    final List<SkippedItem> skipped = new ArrayList<>();

    Plan(PlanInput input) {
      this.input = input;
      this.target = input.target();
      this.type = target.type();
      this.typeName = type.apiName();
      this.objectId = target.objectId();
    }

    RestorePlan directoryObject() {
      ObjectNode live = input.live().properties().orElse(null);
      ObjectNode wanted = target.state();
      if (type == ObjectType.GROUPS && WriteRules.mailEnabledNonUnified(live == null ? wanted : live)) {
        skip("object", SkipReason.MAIL_ENABLED, "Mail-enabled security groups and distribution lists cannot be "
            + "changed or created through Microsoft Graph; restore it in Exchange Online");
        return build();
      }
      properties(wanted, live);
      if (type == ObjectType.GROUPS) {
        groupReferences(wanted, live);
      } else {
        userMemberships();
        userRoleAssignments();
      }
      return build();
    }

    RestorePlan directoryRole() {
      if (input.live().state() != LiveState.LIVE) {
        skip("object", SkipReason.REFUSED, "The directory role is not activated in the tenant any more; assign the "
            + "role (roleAssignments) to activate it");
        return build();
      }
      references("members", ids(target.state().get("members")), input.live().members(), membersToAdd,
          membersToRemove);
      return build();
    }

    RestorePlan roleAssignment() {
      if (input.live().state() == LiveState.LIVE || !input.liveAssignments().isEmpty()) {
        return build(); // assignments never change: present means restored
      }
      ObjectNode wanted = target.state();
      assignmentsToAdd.add(new RoleAssignmentRef(wanted.path("principalId").asText(),
          wanted.path("roleDefinitionId").asText(), wanted.path("directoryScopeId").asText("/")));
      return build();
    }

    /** Every property whose version value differs from the live one: set, or skipped with why. */
    void properties(ObjectNode wanted, ObjectNode live) {
      boolean synced = WriteRules.synced(live);
      wanted.fields().forEachRemaining(field -> {
        String name = field.getKey();
        if (!WriteRules.isProperty(name)) {
          return;
        }
        JsonNode now = live == null ? NullNode.getInstance() : live.path(name);
        if (sameValue(field.getValue(), now)) {
          return;
        }
        if (WriteRules.readOnly(type, name)) {
          skip(name, SkipReason.READ_ONLY, "Read-only in Microsoft Graph; it was " + describe(field.getValue())
              + ", it is " + describe(now));
        } else if (synced && WriteRules.syncMastered(type, name)) {
          skip(name, SkipReason.SYNCED, "Synced from on-premises Active Directory; change it there");
        } else {
          properties.put(name, field.getValue());
        }
      });
    }

    void groupReferences(ObjectNode wanted, ObjectNode live) {
      ObjectNode group = live == null ? wanted : live;
      Set<String> targetMembers = ids(wanted.get("members"));
      if (WriteRules.dynamic(group)) {
        skipDifferences("members", targetMembers, input.live().members(), SkipReason.DYNAMIC_MEMBERSHIP,
            "Members of a dynamic group follow its membership rule; Graph refuses member writes");
      } else if (WriteRules.synced(live)) {
        skipDifferences("members", targetMembers, input.live().members(), SkipReason.SYNCED,
            "Members of a group synced from on-premises Active Directory are changed there");
      } else {
        references("members", targetMembers, input.live().members(), membersToAdd, membersToRemove);
      }
      references("owners", ids(wanted.get("owners")), input.live().owners(), ownersToAdd, ownersToRemove);
    }

    void userMemberships() {
      for (MembershipAtVersion membership : input.memberships()) {
        if (membership.liveMember()) {
          continue;
        }
        String item = "memberOf/" + membership.groupId();
        if (membership.liveGroup().isEmpty()) {
          skip(item, SkipReason.MEMBER_GONE, "Group " + membership.groupName() + " no longer exists; restore the "
              + "group first");
        } else if (WriteRules.dynamic(membership.liveGroup().get())) {
          skip(item, SkipReason.DYNAMIC_MEMBERSHIP, "Group " + membership.groupName() + " is dynamic: its membership "
              + "rule decides");
        } else if (WriteRules.mailEnabledNonUnified(membership.liveGroup().get())) {
          skip(item, SkipReason.MAIL_ENABLED, "Group " + membership.groupName() + " is mail-enabled or a "
              + "distribution list; Graph cannot change its members");
        } else if (WriteRules.synced(membership.liveGroup().get())) {
          skip(item, SkipReason.SYNCED, "Group " + membership.groupName() + " is synced from on-premises Active "
              + "Directory; change its members there");
        } else {
          memberships.add(membership.groupId());
        }
      }
    }

    /** Assignments the user held at the version and lacks now are added; newer ones are left alone (RESTORE.md). */
    void userRoleAssignments() {
      Set<String> held = new TreeSet<>();
      input.liveAssignments().forEach(a -> held.add(a.roleDefinitionId() + "@" + a.directoryScopeId()));
      for (RoleAssignmentRef wanted : input.targetAssignments()) {
        if (!held.contains(wanted.roleDefinitionId() + "@" + wanted.directoryScopeId())) {
          assignmentsToAdd.add(wanted);
        }
      }
    }

    void references(String relation, Set<String> wanted, Set<String> live, List<String> add, List<String> remove) {
      wanted.stream().filter(id -> !live.contains(id)).sorted().forEach(add::add);
      live.stream().filter(id -> !wanted.contains(id)).sorted().forEach(remove::add);
    }

    void skipDifferences(String relation, Set<String> wanted, Set<String> live, SkipReason reason, String message) {
      wanted.stream().filter(id -> !live.contains(id)).sorted()
          .forEach(id -> skip(relation + "/" + id, reason, "Not added: " + message));
      live.stream().filter(id -> !wanted.contains(id)).sorted()
          .forEach(id -> skip(relation + "/" + id, reason, "Not removed: " + message));
    }

    void skip(String item, SkipReason reason, String message) {
      skipped.add(SkippedItem.of(typeName, objectId, item, reason, message));
    }

    RestorePlan build() {
      return new RestorePlan(typeName, objectId, target.versionId(), input.live().state(),
          action(input.live().state()), Map.copyOf(properties), List.copyOf(membersToAdd),
          List.copyOf(membersToRemove), List.copyOf(ownersToAdd), List.copyOf(ownersToRemove),
          List.copyOf(memberships), List.copyOf(assignmentsToAdd), List.of(), List.copyOf(skipped));
    }
  }

  /** Graph omits never-set properties or sends null for them: both mean "no value". */
  static boolean sameValue(JsonNode a, JsonNode b) {
    boolean aEmpty = a == null || a.isNull() || a.isMissingNode();
    boolean bEmpty = b == null || b.isNull() || b.isMissingNode();
    if (aEmpty || bEmpty) {
      return aEmpty == bEmpty;
    }
    return a.equals(b);
  }

  static Set<String> ids(JsonNode references) {
    Set<String> ids = new TreeSet<>();
    if (references != null) {
      references.forEach(ref -> ids.add(ref.path("id").asText()));
    }
    return ids;
  }

  private static String describe(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "empty";
    }
    String text = value.toString();
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }
}
