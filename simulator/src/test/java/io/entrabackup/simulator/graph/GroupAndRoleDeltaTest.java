package io.entrabackup.simulator.graph;

import static io.entrabackup.simulator.SimulatorFixture.deltaLink;
import static io.entrabackup.simulator.SimulatorFixture.items;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorFixture;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GroupAndRoleDeltaTest {
  @RegisterExtension
  final SimulatorFixture f = new SimulatorFixture(b -> b.users(60).groups(40));

  /** Folds a round as a client must: merges repeated objects, applies member adds and removals. */
  static Map<String, Set<String>> members(List<JsonNode> items, String relation) {
    Map<String, Set<String>> out = new HashMap<>();
    for (JsonNode g : items) {
      Set<String> set = out.computeIfAbsent(g.get("id").asText(), k -> new HashSet<>());
      for (JsonNode m : g.path(relation + "@delta")) {
        if (m.has("@removed")) {
          set.remove(m.get("id").asText());
        } else {
          set.add(m.get("id").asText());
        }
      }
    }
    return out;
  }

  /** The first group of a kind: "Security" (cloud security group) or "Team" (Microsoft 365). */
  private JsonNode group(String kind) {
    for (JsonNode g : f.getJson("/groups?$top=999").get("value")) {
      boolean unified = g.get("groupTypes").toString().contains("Unified");
      boolean plainSecurity = g.get("groupTypes").isEmpty() && g.get("securityEnabled").asBoolean()
          && !g.get("mailEnabled").asBoolean() && g.get("onPremisesSyncEnabled").isNull()
          && !g.get("displayName").asText().equals("All Users");
      if (kind.equals("Team") ? unified : plainSecurity) {
        return g;
      }
    }
    throw new AssertionError("no group of kind " + kind);
  }

  @Test
  void aFullGroupRoundCarriesMembersByDefaultAndOwnersWhenSelected() {
    List<JsonNode> round = items(f.crawl("/groups/delta"));
    JsonNode example = Examples.load("groups-delta-default.json").get("value").get(0);
    JsonNode allUsers = round.stream().filter(g -> g.get("displayName").asText().equals("All Users")).findFirst().orElseThrow();
    assertTrue(Examples.keys(allUsers).containsAll(Examples.keys(example)));
    assertEquals(60, members(round, "members").get(allUsers.get("id").asText()).size());
    assertFalse(round.stream().anyMatch(g -> g.has("owners@delta")));
    List<JsonNode> withOwners = items(f.crawl("/groups/delta?$select=displayName,members,owners"));
    assertTrue(withOwners.stream().anyMatch(g -> g.has("owners@delta")));
    assertEquals(Set.of("@odata.type", "id"), Examples.keys(allUsers.get("members@delta").get(0)));
  }

  @Test
  void groupsOfEveryKindAreGeneratedIncludingNestedOnes() {
    Set<String> kinds = new HashSet<>();
    boolean nested = false;
    for (JsonNode g : items(f.crawl("/groups/delta?$select=groupTypes,mailEnabled,securityEnabled,membershipRule,onPremisesSyncEnabled,members"))) {
      String types = g.get("groupTypes").toString();
      kinds.add(types.contains("Unified") ? "m365" : types.contains("Dynamic") ? "dynamic"
          : g.get("onPremisesSyncEnabled").asBoolean() ? "synced" : g.get("mailEnabled").asBoolean()
          ? (g.get("securityEnabled").asBoolean() ? "mailSecurity" : "distribution") : "security");
      nested |= g.path("members@delta").toString().contains("#microsoft.graph.group");
    }
    assertEquals(Set.of("m365", "dynamic", "synced", "mailSecurity", "distribution", "security"), kinds);
    assertTrue(nested);
  }

  @Test
  void memberAndOwnerAdditionsAndRemovalsShowUpInTheNextRound() {
    String delta = deltaLink(f.crawl("/groups/delta?$select=displayName,members,owners"));
    JsonNode group = group("Security");
    String gid = group.get("id").asText();
    List<JsonNode> members = items(f.crawl("/groups/" + gid + "/members"));
    String removed = members.get(0).get("id").asText();
    String added = f.getJson("/users?$top=60").get("value").get(59).get("id").asText();
    f.write("DELETE", "/groups/" + gid + "/members/" + added + "/$ref", null);
    java.net.http.HttpResponse<String> add = f.write("POST", "/groups/" + gid + "/members/$ref",
        Map.of("@odata.id", f.sim.graphBaseUrl() + "/directoryObjects/" + added));
    assertEquals(204, add.statusCode(), add.body());
    assertEquals(204, f.write("DELETE", "/groups/" + gid + "/members/" + removed + "/$ref", null).statusCode());
    assertEquals(204, f.write("POST", "/groups/" + gid + "/owners/$ref",
        Map.of("@odata.id", f.sim.graphBaseUrl() + "/users/" + added)).statusCode());

    List<JsonNode> round = items(f.crawl(delta));
    JsonNode g = round.stream().filter(x -> x.get("id").asText().equals(gid)).findFirst().orElseThrow();
    Map<String, Boolean> seen = new HashMap<>();
    g.get("members@delta").forEach(m -> seen.put(m.get("id").asText(), !m.has("@removed")));
    assertEquals(Boolean.TRUE, seen.get(added));
    assertEquals(Boolean.FALSE, seen.get(removed));
    JsonNode removedEntry = Examples.load("groups-delta-members.json").get("value").get(0).get("members@delta").get(0);
    JsonNode ours = null;
    for (JsonNode m : g.get("members@delta")) {
      if (m.has("@removed")) {
        ours = m;
      }
    }
    assertEquals(Examples.keys(removedEntry), Examples.keys(ours));
    assertEquals("deleted", ours.get("@removed").get("reason").asText());
    assertEquals(added, g.get("owners@delta").get(0).get("id").asText());
    assertFalse(g.has("displayName"), "no property changed");
  }

  @Test
  void aSoftDeletedUserKeepsItsMembershipsAndAHardDeletedOneLeavesEveryGroup() {
    String delta = deltaLink(f.crawl("/groups/delta"));
    String userId = f.getJson("/users?$top=5").get("value").get(3).get("id").asText();
    f.write("DELETE", "/users/" + userId, null);
    assertTrue(items(f.crawl(delta)).isEmpty(), "soft delete changes no membership");
    f.write("DELETE", "/directory/deletedItems/" + userId, null);
    List<JsonNode> round = items(f.crawl(delta));
    assertFalse(round.isEmpty());
    for (JsonNode g : round) {
      for (JsonNode m : g.get("members@delta")) {
        assertEquals(userId, m.get("id").asText());
        assertEquals("deleted", m.get("@removed").get("reason").asText());
      }
    }
  }

  @Test
  void withTheQuirkOnGroupDeltaOmitsMemberRemovalsCausedByAUsersHardDelete() {
    f.admin("PUT", "/quirks", Map.of("omitMemberRemovalsOfDeletedUsers", true));
    String delta = deltaLink(f.crawl("/groups/delta"));
    String userId = f.getJson("/users?$top=5").get("value").get(3).get("id").asText();
    f.write("DELETE", "/users/" + userId, null);
    f.write("DELETE", "/directory/deletedItems/" + userId, null);
    assertTrue(items(f.crawl(delta)).isEmpty(), "the client has to reconcile memberships against deleted users itself");
  }

  @Test
  void withTheQuirkOnAFullRoundAlsoListsDeletedObjectsAsRemoved() {
    String soft = f.getJson("/users?$top=5").get("value").get(1).get("id").asText();
    f.write("DELETE", "/users/" + soft, null);
    f.sim.admin().quirks(true, null);
    List<JsonNode> round = items(f.crawl("/users/delta"));
    JsonNode removed = round.stream().filter(u -> u.get("id").asText().equals(soft)).findFirst().orElseThrow();
    assertEquals("changed", removed.get("@removed").get("reason").asText());
    assertEquals(Examples.keys(Examples.load("users-delta-initial.json").get("value").findParent("@removed")),
        Examples.keys(removed));
  }

  @Test
  void deletingASecurityGroupIsFinalButAMicrosoft365GroupGoesToTheRecycleBin() {
    String delta = deltaLink(f.crawl("/groups/delta?$select=displayName"));
    String security = group("Security").get("id").asText();
    String m365 = group("Team").get("id").asText();
    f.write("DELETE", "/groups/" + security, null);
    f.write("DELETE", "/groups/" + m365, null);
    Map<String, String> reasons = new HashMap<>();
    items(f.crawl(delta)).forEach(g -> reasons.put(g.get("id").asText(), g.path("@removed").path("reason").asText()));
    assertEquals(Map.of(security, "deleted", m365, "changed"), reasons);
    JsonNode bin = f.getJson("/directory/deletedItems/microsoft.graph.group");
    assertEquals(1, bin.get("value").size());
    assertEquals(m365, bin.get("value").get(0).get("id").asText());
    assertEquals(404, f.write("POST", "/directory/deletedItems/" + security + "/restore", null).statusCode());
  }

  @Test
  void aHundredThousandMemberGroupIsSplitAcrossPagesAndTheGroupRepeats() {
    try (SimulatorFixture big = new SimulatorFixture(b -> b.users(100_000).groups(2))) {
      List<JsonNode> pages = big.crawl("/groups/delta?$select=displayName,members");
      assertTrue(pages.size() >= 200, "pages: " + pages.size());
      int appearances = 0;
      String allUsers = null;
      for (JsonNode g : items(pages)) {
        if (g.get("displayName").asText().equals("All Users")) {
          appearances++;
          allUsers = g.get("id").asText();
          assertTrue(g.get("members@delta").size() <= 500);
        }
      }
      assertTrue(appearances >= 200);
      assertEquals(100_000, members(items(pages), "members").get(allUsers).size());
    }
  }

  @Test
  void directoryRolesDeltaCarriesMembersAndRoleAssignmentsChangeThem() {
    List<JsonNode> round = f.crawl("/directoryRoles/delta");
    JsonNode example = Examples.load("directoryroles-delta.json").get("value").get(0);
    JsonNode globalAdmin = items(round).stream().filter(r -> r.get("displayName").asText().equals("Global Administrator"))
        .findFirst().orElseThrow();
    assertTrue(Examples.keys(globalAdmin).containsAll(Examples.keys(example)));
    assertEquals("62e90394-69f5-4237-9190-012177145e10", globalAdmin.get("roleTemplateId").asText());
    String user = f.getJson("/users?$top=50").get("value").get(40).get("id").asText();
    JsonNode created = SimulatorFixture.json(f.write("POST", "/roleManagement/directory/roleAssignments", Map.of(
        "@odata.type", "#microsoft.graph.unifiedRoleAssignment", "roleDefinitionId", "62e90394-69f5-4237-9190-012177145e10",
        "principalId", user, "directoryScopeId", "/")).body());
    List<JsonNode> next = f.crawl(deltaLink(round));
    JsonNode role = items(next).get(0);
    assertEquals(globalAdmin.get("id").asText(), role.get("id").asText());
    assertEquals(user, role.get("members@delta").get(0).get("id").asText());
    assertEquals(204, f.write("DELETE", "/roleManagement/directory/roleAssignments/" + created.get("id").asText(), null).statusCode());
    JsonNode removal = items(f.crawl(deltaLink(next))).get(0).get("members@delta").get(0);
    assertEquals("deleted", removal.get("@removed").get("reason").asText());
  }
}
