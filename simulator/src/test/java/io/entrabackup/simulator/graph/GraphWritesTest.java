package io.entrabackup.simulator.graph;

import static io.entrabackup.simulator.SimulatorFixture.deltaLink;
import static io.entrabackup.simulator.SimulatorFixture.items;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.simulator.SimulatorFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every write refusal of issue item 6, with its Graph status and code, and writes showing up in the next delta round. */
class GraphWritesTest {
  @RegisterExtension
  final SimulatorFixture f = new SimulatorFixture(b -> b.users(80).groups(60));

  private static void assertRefused(HttpResponse<String> r, int status, String code, String messageFragment) {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode e = SimulatorFixture.json(r.body()).get("error");
    assertEquals(code, e.get("code").asText());
    assertTrue(e.get("message").asText().contains(messageFragment), e.get("message").asText());
    assertTrue(e.get("innerError").hasNonNull("request-id"));
  }

  private String user(Predicate<JsonNode> p) {
    for (JsonNode u : f.getJson("/users?$top=999&$select=id,userType,onPremisesSyncEnabled").get("value")) {
      if (p.test(u)) {
        return u.get("id").asText();
      }
    }
    throw new AssertionError("no such user");
  }

  private String cloudUser() {
    return user(u -> u.get("onPremisesSyncEnabled").isNull() && u.get("userType").asText().equals("Member"));
  }

  private String syncedUser() {
    return user(u -> u.get("onPremisesSyncEnabled").asBoolean());
  }

  private String group(Predicate<JsonNode> p) {
    for (JsonNode g : f.getJson("/groups?$top=999").get("value")) {
      if (p.test(g) && !g.get("displayName").asText().equals("All Users")) {
        return g.get("id").asText();
      }
    }
    throw new AssertionError("no such group");
  }

  private static boolean types(JsonNode g, String t) {
    return g.get("groupTypes").toString().contains(t);
  }

  @Test
  void patchingAReadOnlyPropertyIsRefusedWith400RequestBadRequest() {
    assertRefused(f.write("PATCH", "/users/" + cloudUser(), Map.of("createdDateTime", "2020-01-01T00:00:00Z")),
        400, "Request_BadRequest", "read-only");
    assertRefused(f.write("PATCH", "/users/" + cloudUser(), Map.of("proxyAddresses", List.of("SMTP:x@y.com"))),
        400, "Request_BadRequest", "read-only");
    assertRefused(f.write("PATCH", "/groups/" + group(g -> types(g, "Unified")), Map.of("mail", "x@contoso.com")),
        400, "Request_BadRequest", "read-only");
  }

  @Test
  void cloudEditsOfSyncedPropertiesOfSyncedObjectsAreRefusedButCloudOwnedOnesAreAccepted() {
    String synced = syncedUser();
    assertRefused(f.write("PATCH", "/users/" + synced, Map.of("jobTitle", "X")), 400, "Request_BadRequest",
        "on-premises mastered Directory Sync objects");
    JsonNode example = Examples.load("error-onprem-synced-400.json").get("error");
    HttpResponse<String> r = f.write("PATCH", "/users/" + synced, Map.of("displayName", "Y"));
    assertEquals(example.get("message").asText(), SimulatorFixture.json(r.body()).get("error").get("message").asText());
    assertEquals(204, f.write("PATCH", "/users/" + synced, Map.of("usageLocation", "DE")).statusCode());
    assertRefused(f.write("PUT", "/users/" + synced + "/manager/$ref", Map.of("@odata.id",
        f.sim.graphBaseUrl() + "/users/" + cloudUser())), 400, "Request_BadRequest", "on-premises mastered");
    String syncedGroup = group(g -> g.get("onPremisesSyncEnabled").asBoolean());
    assertRefused(f.write("PATCH", "/groups/" + syncedGroup, Map.of("description", "x")), 400, "Request_BadRequest",
        "on-premises mastered");
  }

  /** A create without any one of these properties is refused, naming it. */
  private void assertEachIsRequired(String collection, ObjectNode body, String... required) {
    for (String name : required) {
      ObjectNode missing = body.deepCopy();
      missing.remove(name);
      assertRefused(f.write("POST", collection, missing.toString()), 400, "Request_BadRequest", name);
    }
  }

  @Test
  void createUserNeedsTheRequiredPropertiesAndGetsANewId() {
    ObjectNode body = (ObjectNode) Examples.load("user-create-request.json");
    body.put("userPrincipalName", "AdeleV@" + f.tenant.domain());
    assertEachIsRequired("/users", body, "accountEnabled", "displayName", "mailNickname", "userPrincipalName", "passwordProfile");
    HttpResponse<String> created = f.write("POST", "/users", body.toString());
    assertEquals(201, created.statusCode(), created.body());
    JsonNode user = SimulatorFixture.json(created.body());
    JsonNode example = Examples.load("user-create-response.json");
    assertTrue(Examples.keys(user).containsAll(List.of("id", "displayName", "userPrincipalName", "@odata.context")));
    assertTrue(Examples.keys(example).contains("id"));
    assertEquals(user.get("id"), f.getJson("/users/" + user.get("id").asText()).get("id"));
    assertRefused(f.write("POST", "/users", body.toString()), 400, "Request_BadRequest", "same value for property userPrincipalName");
    body.put("userPrincipalName", "someone@notours.com");
    assertRefused(f.write("POST", "/users", body.toString()), 400, "Request_BadRequest", "verified domain");
  }

  @Test
  void createGroupNeedsTheRequiredPropertiesBindsAtMostTwentyAndRefusesMailEnabledSecurity() {
    ObjectNode body = (ObjectNode) Examples.load("group-create-with-members-request.json");
    List<JsonNode> users = f.getJson("/users?$top=25").get("value").findParents("id");
    body.putArray("owners@odata.bind").add(f.sim.graphBaseUrl() + "/users/" + users.get(0).get("id").asText());
    body.putArray("members@odata.bind").add(f.sim.graphBaseUrl() + "/users/" + users.get(1).get("id").asText())
        .add(f.sim.graphBaseUrl() + "/users/" + users.get(2).get("id").asText());
    assertEachIsRequired("/groups", body, "displayName", "mailEnabled", "mailNickname", "securityEnabled");
    HttpResponse<String> created = f.write("POST", "/groups", body.toString());
    assertEquals(201, created.statusCode(), created.body());
    String id = SimulatorFixture.json(created.body()).get("id").asText();
    assertEquals(2, items(f.crawl("/groups/" + id + "/members")).size());

    ObjectNode tooMany = body.deepCopy();
    var binds = tooMany.putArray("members@odata.bind");
    users.stream().limit(21).forEach(u -> binds.add(f.sim.graphBaseUrl() + "/users/" + u.get("id").asText()));
    assertRefused(f.write("POST", "/groups", tooMany.toString()), 400, "Request_BadRequest", "maximum");

    ObjectNode mailSecurity = body.deepCopy();
    mailSecurity.put("mailEnabled", true);
    assertRefused(f.write("POST", "/groups", mailSecurity.toString()), 400, "Request_BadRequest", "mail-enabled groups");
  }

  @Test
  void memberWritesAreRefusedOnDynamicMailEnabledAndDistributionGroups() {
    String user = cloudUser();
    Map<String, String> ref = Map.of("@odata.id", f.sim.graphBaseUrl() + "/directoryObjects/" + user);
    assertRefused(f.write("POST", "/groups/" + group(g -> types(g, "DynamicMembership")) + "/members/$ref", ref),
        403, "Authorization_RequestDenied", "Insufficient privileges");
    assertRefused(f.write("POST", "/groups/" + group(g -> g.get("mailEnabled").asBoolean() && g.get("securityEnabled").asBoolean())
        + "/members/$ref", ref), 400, "Request_BadRequest", "Cannot Update a mail-enabled security groups and or distribution list.");
    assertRefused(f.write("POST", "/groups/" + group(g -> g.get("mailEnabled").asBoolean() && !g.get("securityEnabled").asBoolean()
        && !types(g, "Unified")) + "/members/$ref", ref), 400, "Request_BadRequest", "distribution list");
  }

  @Test
  void addingAnExistingMemberOrRemovingANonMemberOrReferencingNothingIsRefused() {
    String gid = group(g -> types(g, "Unified"));
    String member = items(f.crawl("/groups/" + gid + "/members")).get(0).get("id").asText();
    assertRefused(f.write("POST", "/groups/" + gid + "/members/$ref", Map.of("@odata.id",
        f.sim.graphBaseUrl() + "/directoryObjects/" + member)), 400, "Request_BadRequest", "already exist");
    assertRefused(f.write("POST", "/groups/" + gid + "/members/$ref", Map.of("@odata.id",
        f.sim.graphBaseUrl() + "/directoryObjects/0f0f0f0f-0000-4000-8000-000000000000")), 404, "Request_ResourceNotFound", "does not exist");
    String outsider = f.getJson("/users?$top=999").get("value").findParents("id").stream().map(u -> u.get("id").asText())
        .filter(id -> !items(f.crawl("/groups/" + gid + "/members")).toString().contains(id)).findFirst().orElseThrow();
    assertRefused(f.write("DELETE", "/groups/" + gid + "/members/" + outsider + "/$ref", null), 404, "Request_ResourceNotFound", outsider);
  }

  @Test
  void patchAddsAtMostTwentyMembersAllOrNothing() {
    String gid = group(g -> types(g, "Unified"));
    List<String> outsiders = new ArrayList<>();
    String members = items(f.crawl("/groups/" + gid + "/members")).toString();
    for (JsonNode u : f.getJson("/users?$top=999").get("value")) {
      if (!members.contains(u.get("id").asText())) {
        outsiders.add(f.sim.graphBaseUrl() + "/directoryObjects/" + u.get("id").asText());
      }
    }
    assertRefused(f.write("PATCH", "/groups/" + gid, Map.of("members@odata.bind", outsiders.subList(0, 21))), 400,
        "Request_BadRequest", "maximum");
    List<String> withBad = new ArrayList<>(outsiders.subList(0, 3));
    withBad.add(f.sim.graphBaseUrl() + "/directoryObjects/0f0f0f0f-0000-4000-8000-000000000000");
    assertEquals(404, f.write("PATCH", "/groups/" + gid, Map.of("members@odata.bind", withBad)).statusCode());
    int before = items(f.crawl("/groups/" + gid + "/members")).size();
    assertEquals(before, items(f.crawl("/groups/" + gid + "/members")).size(), "nothing was added");
    assertEquals(204, f.write("PATCH", "/groups/" + gid, Map.of("members@odata.bind", outsiders.subList(0, 20))).statusCode());
    assertEquals(before + 20, items(f.crawl("/groups/" + gid + "/members")).size());
  }

  @Test
  void softDeletedUsersAreListedRestorableFor30DaysAndThenGoneForGood() {
    String id = cloudUser();
    assertEquals(204, f.write("DELETE", "/users/" + id, null).statusCode());
    assertEquals(404, f.get("/users/" + id).statusCode());
    JsonNode bin = f.getJson("/directory/deletedItems/microsoft.graph.user");
    assertEquals(id, bin.get("value").get(0).get("id").asText());
    assertTrue(bin.get("value").get(0).hasNonNull("deletedDateTime"));
    HttpResponse<String> restored = f.write("POST", "/directory/deletedItems/" + id + "/restore", null);
    assertEquals(200, restored.statusCode());
    assertEquals(Examples.keys(Examples.load("deleteditems-restore.json")).contains("@odata.type"),
        SimulatorFixture.json(restored.body()).has("@odata.type"));
    assertEquals(200, f.get("/users/" + id).statusCode());

    String delta = deltaLink(f.crawl("/users/delta?$select=displayName"));
    f.write("DELETE", "/users/" + id, null);
    f.sim.admin().advanceClock(Duration.ofDays(31));
    f.resetToken();
    assertEquals(404, f.write("POST", "/directory/deletedItems/" + id + "/restore", null).statusCode());
    f.sim.admin().advanceClock(Duration.ofDays(-31));
    f.resetToken();
    JsonNode removed = items(f.crawl(delta)).get(0);
    assertEquals("deleted", removed.get("@removed").get("reason").asText(), "the purge shows as a hard delete");
  }

  @Test
  void writingAUserWhoHoldsAnAdminRoleNeedsAnAdminRoleForTheAppNotJustUserReadWriteAll() {
    String plainApp = "55555555-0000-0000-0000-00000000000d";
    f.sim.admin().registerApp(plainApp, "p", List.of(), null);
    f.sim.admin().consent(f.tenant.id(), plainApp, null);
    String token = f.tokenFor(f.tenant.id(), plainApp, "p").get("access_token").asText();
    String admin = f.getJson("/users/admin@" + f.tenant.domain()).get("id").asText();
    HttpResponse<String> refused = f.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(f.url("/users/" + admin)))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"usageLocation\":\"FR\"}")).build());
    assertRefused(refused, 403, "Authorization_RequestDenied", "Insufficient privileges");
    assertEquals(204, f.write("PATCH", "/users/" + admin, Map.of("usageLocation", "FR")).statusCode(),
        "the fixture's app holds Privileged Authentication Administrator");
  }

  @Test
  void roleAssignmentsAreCreatedWithTheDocumentedShapeAndDeleted() {
    JsonNode request = Examples.load("roleassignment-create-request.json");
    ObjectNode body = request.deepCopy();
    body.put("roleDefinitionId", "fe930be7-5e62-47db-91af-98c3a49a38b1");
    body.put("principalId", cloudUser());
    HttpResponse<String> r = f.write("POST", "/roleManagement/directory/roleAssignments", body.toString());
    assertEquals(201, r.statusCode(), r.body());
    JsonNode created = SimulatorFixture.json(r.body());
    assertTrue(Examples.keys(created).containsAll(Examples.keys(Examples.load("roleassignment-create-response.json"))));
    assertEquals(409, f.write("POST", "/roleManagement/directory/roleAssignments", body.toString()).statusCode());
    body.put("principalId", "0f0f0f0f-0000-4000-8000-000000000000");
    assertEquals(404, f.write("POST", "/roleManagement/directory/roleAssignments", body.toString()).statusCode());
    assertEquals(204, f.write("DELETE", "/roleManagement/directory/roleAssignments/" + created.get("id").asText(), null).statusCode());
    assertEquals(404, f.get("/roleManagement/directory/roleAssignments/" + created.get("id").asText()).statusCode());
  }

  @Test
  void directoryRoleMembersCanBeAddedAndRemovedByReferenceAsRoleAssignments() {
    JsonNode role = f.getJson("/directoryRoles").get("value").get(0);
    String roleId = role.get("id").asText();
    String members = items(f.crawl("/directoryRoles/" + roleId + "/members")).toString();
    String user = f.getJson("/users?$top=80&$select=id").get("value").findValuesAsText("id").stream()
        .filter(id -> !members.contains(id)).findFirst().orElseThrow();
    assertEquals(204, f.write("POST", "/directoryRoles/" + roleId + "/members/$ref",
        Map.of("@odata.id", f.sim.graphBaseUrl() + "/directoryObjects/" + user)).statusCode());
    assertTrue(items(f.crawl("/directoryRoles/" + roleId + "/members")).toString().contains(user));
    assertTrue(items(f.crawl("/roleManagement/directory/roleAssignments?$filter=" + SimulatorFixture.enc(
        "principalId eq '" + user + "' and roleDefinitionId eq '" + role.get("roleTemplateId").asText() + "'"))).size() == 1);
    assertRefused(f.write("POST", "/directoryRoles/" + roleId + "/members/$ref",
        Map.of("@odata.id", f.sim.graphBaseUrl() + "/directoryObjects/" + user)), 400, "Request_BadRequest", "already exist");
    assertEquals(204, f.write("DELETE", "/directoryRoles/" + roleId + "/members/" + user + "/$ref", null).statusCode());
    assertEquals(404, f.write("DELETE", "/directoryRoles/" + roleId + "/members/" + user + "/$ref", null).statusCode());
  }

  @Test
  void everyWriteShowsUpInTheNextDeltaRound() {
    String users = deltaLink(f.crawl("/users/delta?$select=displayName,jobTitle"));
    String groups = deltaLink(f.crawl("/groups/delta?$select=displayName,description,members"));
    String u = cloudUser();
    f.write("PATCH", "/users/" + u, Map.of("jobTitle", "Restored Title"));
    ObjectNode newUser = (ObjectNode) Examples.load("user-create-request.json");
    newUser.put("userPrincipalName", "new.person@" + f.tenant.domain());
    String newId = SimulatorFixture.json(f.write("POST", "/users", newUser.toString()).body()).get("id").asText();
    String gid = group(g -> types(g, "Unified"));
    f.write("PATCH", "/groups/" + gid, Map.of("description", "restored description"));
    f.write("POST", "/groups/" + gid + "/members/$ref", Map.of("@odata.id", f.sim.graphBaseUrl() + "/directoryObjects/" + newId));

    List<JsonNode> userChanges = items(f.crawl(users));
    assertEquals(2, userChanges.size());
    assertTrue(userChanges.toString().contains("Restored Title"));
    assertTrue(userChanges.stream().anyMatch(x -> x.get("id").asText().equals(newId) && x.has("displayName")));
    List<JsonNode> groupChanges = items(f.crawl(groups));
    assertEquals(1, groupChanges.size());
    assertEquals("restored description", groupChanges.get(0).get("description").asText());
    assertEquals(newId, groupChanges.get(0).get("members@delta").get(0).get("id").asText());
    assertNotEquals(u, newId);
  }
}
