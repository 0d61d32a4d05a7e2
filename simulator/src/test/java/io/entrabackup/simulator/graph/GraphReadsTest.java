package io.entrabackup.simulator.graph;

import static io.entrabackup.simulator.SimulatorFixture.items;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorFixture;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GraphReadsTest {
  @RegisterExtension
  static final SimulatorFixture f = new SimulatorFixture(b -> b.users(1200).groups(60));

  @Test
  void usersListPagesWithTopAndNextLinkAndEveryIdIsAGuid() {
    List<JsonNode> pages = f.crawl("/users?$top=500&$select=id,displayName");
    assertEquals(3, pages.size());
    Set<String> ids = new HashSet<>();
    for (JsonNode u : items(pages)) {
      assertTrue(u.get("id").asText().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), u.toString());
      ids.add(u.get("id").asText());
    }
    assertEquals(1200, ids.size());
    assertEquals(100, f.getJson("/users").get("value").size(), "default page of /users");
  }

  @Test
  void answersAreGzippedForClientsThatAcceptItAndPlainForOthers() throws Exception {
    String page = "/users?$top=50";
    java.net.http.HttpResponse<byte[]> zipped = f.http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(f.url(page))).header("Authorization", "Bearer " + f.token())
        .header("Accept-Encoding", "gzip").build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, zipped.statusCode());
    assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElse(""));
    byte[] unzipped;
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))) {
      unzipped = in.readAllBytes();
    }
    assertTrue(zipped.body().length * 3 < unzipped.length, "JSON shrinks: " + zipped.body().length + " of "
        + unzipped.length + " bytes");

    var plain = f.get(page);
    assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty());
    // The same page either way; its nextLink's skip token is stamped with the time it was made, so it is left out.
    assertEquals(SimulatorFixture.json(plain.body()).get("value"),
        SimulatorFixture.json(new String(unzipped, java.nio.charset.StandardCharsets.UTF_8)).get("value"));
    assertTrue(f.get(page, "Accept-Encoding", "gzip;q=0, identity").headers().firstValue("Content-Encoding").isEmpty());
  }

  @Test
  void aTenantMixesCloudSyncedAndGuestUsersWithExtensionAttributes() {
    int synced = 0;
    int guests = 0;
    int cloud = 0;
    for (JsonNode u : items(f.crawl("/users?$top=999&$select=id,userType,onPremisesSyncEnabled,onPremisesImmutableId,"
        + "onPremisesExtensionAttributes,creationType,employeeId,proxyAddresses,createdDateTime"))) {
      if (u.get("userType").asText().equals("Guest")) {
        guests++;
        assertEquals("Invitation", u.get("creationType").asText());
      } else if (u.get("onPremisesSyncEnabled").asBoolean()) {
        synced++;
        assertFalse(u.get("onPremisesImmutableId").isNull());
        assertFalse(u.get("onPremisesExtensionAttributes").get("extensionAttribute1").isNull());
      } else {
        cloud++;
      }
      assertEquals(15, u.get("onPremisesExtensionAttributes").size());
    }
    assertTrue(synced > 500 && guests > 50 && cloud > 200, synced + "/" + guests + "/" + cloud);
  }

  @Test
  void getByIdWorksForUsersGroupsRolesDefinitionsAndAssignments() {
    JsonNode user = f.getJson("/users?$top=1").get("value").get(0);
    JsonNode got = f.getJson("/users/" + user.get("id").asText());
    assertEquals(user.get("displayName"), got.get("displayName"));
    assertTrue(got.get("@odata.context").asText().endsWith("$metadata#users/$entity"));
    assertEquals(user.get("id"), f.getJson("/users/" + user.get("userPrincipalName").asText()).get("id"));
    String groupId = f.getJson("/groups?$top=1").get("value").get(0).get("id").asText();
    assertEquals(groupId, f.getJson("/groups/" + groupId).get("id").asText());
    String roleId = f.getJson("/directoryRoles").get("value").get(0).get("id").asText();
    assertEquals(roleId, f.getJson("/directoryRoles/" + roleId).get("id").asText());
    assertTrue(f.getJson("/directoryRoles/" + roleId + "/members").get("value").size() > 0);
    JsonNode def = f.getJson("/roleManagement/directory/roleDefinitions/62e90394-69f5-4237-9190-012177145e10");
    assertEquals("Global Administrator", def.get("displayName").asText());
    String assignmentId = f.getJson("/roleManagement/directory/roleAssignments").get("value").get(0).get("id").asText();
    assertEquals(assignmentId, f.getJson("/roleManagement/directory/roleAssignments/" + assignmentId).get("id").asText());
  }

  @Test
  void aGuestCanBeReadByItsUrlEncodedExtUserPrincipalName() {
    JsonNode guest = null;
    for (JsonNode u : f.getJson("/users?$top=999&$select=id,userPrincipalName,userType").get("value")) {
      if (u.get("userType").asText().equals("Guest")) {
        guest = u;
        break;
      }
    }
    String upn = guest.get("userPrincipalName").asText();
    assertTrue(upn.contains("#EXT#@"));
    assertEquals(guest.get("id"), f.getJson("/users/" + SimulatorFixture.enc(upn)).get("id"));
  }

  @Test
  void anUnknownIdIs404RequestResourceNotFoundInGraphsErrorShape() {
    HttpResponse<String> r = f.get("/users/6f1c1b0e-0000-4000-8000-000000000000");
    assertEquals(404, r.statusCode());
    JsonNode e = SimulatorFixture.json(r.body()).get("error");
    assertEquals("Request_ResourceNotFound", e.get("code").asText());
    JsonNode shape = Examples.load("error-onprem-synced-400.json").get("error");
    assertEquals(Examples.keys(shape), Examples.keys(e));
    assertEquals(Examples.keys(shape.get("innerError")), Examples.keys(e.get("innerError")));
  }

  @Test
  void roleDefinitionsIncludeBuiltInAndCustomRolesAndPageWithTop() {
    List<JsonNode> defs = items(f.crawl("/roleManagement/directory/roleDefinitions?$top=5"));
    assertTrue(defs.size() >= 16);
    assertTrue(defs.stream().anyMatch(d -> !d.get("isBuiltIn").asBoolean()));
    assertTrue(defs.stream().allMatch(d -> d.get("rolePermissions").get(0).has("allowedResourceActions")));
  }

  @Test
  void roleAssignmentsAreTenantWideAndScopedAndMatchTheDocumentedShape() {
    List<JsonNode> all = items(f.crawl("/roleManagement/directory/roleAssignments?$top=3"));
    assertTrue(all.stream().anyMatch(a -> a.get("directoryScopeId").asText().equals("/")));
    assertTrue(all.stream().anyMatch(a -> a.get("directoryScopeId").asText().startsWith("/administrativeUnits/")));
    JsonNode example = Examples.load("roleassignments-list.json").get("value").get(0);
    assertEquals(Examples.keys(example), Examples.keys(all.get(0)));
    assertEquals(46, all.get(0).get("id").asText().length(), "tenant-wide ids look like Entra's");
    String principal = all.get(0).get("principalId").asText();
    List<JsonNode> filtered = items(f.crawl("/roleManagement/directory/roleAssignments?$filter="
        + SimulatorFixture.enc("principalId eq '" + principal + "'")));
    assertTrue(filtered.stream().allMatch(a -> a.get("principalId").asText().equals(principal)));
  }

  @Test
  void organizationDescribesTheTenant() {
    JsonNode org = f.getJson("/organization").get("value").get(0);
    assertEquals(f.tenant.id(), org.get("id").asText());
    assertEquals(f.tenant.domain(), org.get("verifiedDomains").get(0).get("name").asText());
  }

  @Test
  void groupMembersPageThroughAllMembers() {
    String allUsers = null;
    for (JsonNode g : f.getJson("/groups?$top=999").get("value")) {
      if (g.get("displayName").asText().equals("All Users")) {
        allUsers = g.get("id").asText();
      }
    }
    List<JsonNode> pages = f.crawl("/groups/" + allUsers + "/members?$top=400");
    assertEquals(3, pages.size());
    assertEquals(1200, items(pages).size());
    assertEquals("#microsoft.graph.user", items(pages).get(0).get("@odata.type").asText());
  }

  @Test
  void directoryObjectsByIdCarryTheirType() {
    String id = f.getJson("/groups?$top=1").get("value").get(0).get("id").asText();
    assertEquals("#microsoft.graph.group", f.getJson("/directoryObjects/" + id).get("@odata.type").asText());
  }
}
