package io.entrabackup.simulator.graph;

import static io.entrabackup.simulator.SimulatorFixture.deltaLink;
import static io.entrabackup.simulator.SimulatorFixture.items;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorFixture;
import io.entrabackup.simulator.directory.Churn;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UserDeltaTest {
  static final String SELECT = "displayName,jobTitle,department,mobilePhone,usageLocation,accountEnabled";
  @RegisterExtension
  final SimulatorFixture f = SimulatorFixture.start();

  private List<JsonNode> fullRound(String select) {
    return f.crawl("/users/delta" + (select == null ? "" : "?$select=" + select), "Prefer", "odata.maxpagesize=20");
  }

  @Test
  void aFullRoundReturnsEveryUserOnPagesWithAbsoluteLinksAndEndsWithOneDeltaLink() {
    List<JsonNode> pages = fullRound(null);
    assertEquals(3, pages.size());
    for (int i = 0; i < pages.size(); i++) {
      JsonNode p = pages.get(i);
      boolean last = i == pages.size() - 1;
      assertEquals(!last, p.has("@odata.nextLink"));
      assertEquals(last, p.has("@odata.deltaLink"));
      String link = last ? p.get("@odata.deltaLink").asText() : p.get("@odata.nextLink").asText();
      assertTrue(link.startsWith(f.sim.graphBaseUrl() + "/users/delta?"), link);
    }
    Set<String> ids = new HashSet<>();
    items(pages).forEach(u -> ids.add(u.get("id").asText()));
    assertEquals(50, ids.size());
  }

  @Test
  void anObjectChangedDuringAFullRoundComesAgainLaterInTheSameRoundAndTheLastOneWins() {
    JsonNode first = f.getJson("/users/delta?$select=displayName,jobTitle", "Prefer", "odata.maxpagesize=20");
    String seen = cloudOnlyUser();
    assertTrue(first.get("value").toString().contains(seen), "the user was on the first page");
    assertEquals(204, f.write("PATCH", "/users/" + seen, Map.of("jobTitle", "Changed Mid-Round")).statusCode());
    List<JsonNode> rest = f.crawl(first.get("@odata.nextLink").asText());
    List<JsonNode> all = new java.util.ArrayList<>();
    first.get("value").forEach(all::add);
    all.addAll(items(rest));
    List<JsonNode> copies = all.stream().filter(u -> u.get("id").asText().equals(seen)).toList();
    assertEquals(2, copies.size());
    assertEquals("Changed Mid-Round", copies.get(1).get("jobTitle").asText());
    assertTrue(items(f.crawl(deltaLink(rest))).isEmpty(), "the change is not reported a third time");
  }

  @Test
  void theThreePathFormsOfDeltaAllWork() {
    for (String form : List.of("/users/delta", "/users/delta()", "/users/microsoft.graph.delta")) {
      assertEquals(50, items(f.crawl(form)).size(), form);
    }
  }

  @Test
  void withoutSelectUsersComeWithTheDocumentedDefaultPropertySet() {
    JsonNode example = Examples.load("users-delta-default-properties.json").get("value").get(0);
    JsonNode first = f.getJson("/users/delta").get("value").get(0);
    assertEquals(Examples.keys(example), Examples.keys(first));
    assertFalse(first.has("accountEnabled"));
  }

  @Test
  void selectIsCarriedByTheLinksWithoutBeingRepeated() {
    List<JsonNode> pages = f.crawl("/users/delta?$select=displayName,jobTitle", "Prefer", "odata.maxpagesize=20");
    for (JsonNode u : items(pages)) {
      assertTrue(Set.of("id", "displayName", "jobTitle").containsAll(Examples.keys(u)), u.toString());
    }
    assertFalse(pages.get(1).toString().contains("$select"));
  }

  @Test
  void anIncrementalRoundReturnsOnlyTheChangedObjectsWithExactlyTheirChangedProperties() {
    String delta = deltaLink(fullRound(SELECT));
    Map<String, Object> report = f.sim.admin().churn(f.tenant.id(), new Churn.Spec(7, "3", null, null, null, null, null, null, null));
    @SuppressWarnings("unchecked")
    List<String> changed = (List<String>) report.get("usersUpdated");
    String cloudUser = cloudOnlyUser();
    assertEquals(204, f.write("PATCH", "/users/" + cloudUser, Map.of("usageLocation", "NL", "officeLocation", "9/999")).statusCode());

    List<JsonNode> round = f.crawl(delta);
    Map<String, JsonNode> byId = new HashMap<>();
    items(round).forEach(u -> byId.put(u.get("id").asText(), u));
    Set<String> expectedIds = new TreeSet<>(changed);
    expectedIds.add(cloudUser);
    assertEquals(expectedIds, new TreeSet<>(byId.keySet()));
    assertEquals(Set.of("id", "usageLocation"), Examples.keys(byId.get(cloudUser)), "officeLocation is not selected");
    for (String id : changed) {
      Set<String> keys = Examples.keys(byId.get(id));
      assertTrue(keys.contains("jobTitle"));
      assertFalse(keys.contains("displayName"), "unchanged properties are not sent");
      assertEquals(f.sim.admin().object(f.tenant.id(), id).get("properties") instanceof Map<?, ?> p ? p.get("jobTitle") : null,
          byId.get(id).get("jobTitle").asText());
    }
    assertTrue(items(f.crawl(deltaLink(round))).isEmpty(), "nothing changed since");
  }

  @Test
  void withGraphsDocumentedDefaultAChangedObjectCarriesAllSelectedPropertiesUnlessReturnMinimalIsPreferred() {
    f.sim.admin().unchangedPropertiesInRounds(true);
    String delta = deltaLink(fullRound("displayName,jobTitle,department"));
    String id = cloudOnlyUser();
    f.write("PATCH", "/users/" + id, Map.of("jobTitle", "Night Auditor"));
    JsonNode full = items(f.crawl(delta)).get(0);
    assertEquals(Set.of("id", "displayName", "jobTitle", "department"), Examples.keys(full));
    HttpResponse<String> minimal = f.get(delta, "Prefer", "return=minimal");
    JsonNode changed = SimulatorFixture.json(minimal.body()).get("value").get(0);
    assertEquals(Set.of("id", "jobTitle"), Examples.keys(changed));
    assertTrue(minimal.headers().firstValue("Preference-Applied").orElseThrow().contains("return=minimal"));
  }

  @Test
  void softDeleteIsRemovedChangedAndAHardDeleteIsRemovedDeletedAndRestoreBringsTheUserBack() {
    String delta = deltaLink(fullRound(SELECT));
    String soft = f.getJson("/users?$top=3").get("value").get(1).get("id").asText();
    String hard = f.getJson("/users?$top=3").get("value").get(2).get("id").asText();
    assertEquals(204, f.write("DELETE", "/users/" + soft, null).statusCode());
    assertEquals(204, f.write("DELETE", "/users/" + hard, null).statusCode());
    assertEquals(204, f.write("DELETE", "/directory/deletedItems/" + hard, null).statusCode());

    List<JsonNode> round = f.crawl(delta);
    Map<String, String> reasons = new HashMap<>();
    items(round).forEach(u -> reasons.put(u.get("id").asText(), u.path("@removed").path("reason").asText()));
    assertEquals(Map.of(soft, "changed", hard, "deleted"), reasons);
    JsonNode removed = Examples.load("users-delta-removed.json").get("value").get(1);
    assertEquals(Examples.keys(removed), Examples.keys(items(round).get(0)));

    assertEquals(200, f.write("POST", "/directory/deletedItems/" + soft + "/restore", null).statusCode());
    List<JsonNode> after = items(f.crawl(deltaLink(round)));
    assertEquals(1, after.size());
    assertEquals(soft, after.get(0).get("id").asText());
    assertTrue(after.get(0).has("displayName"), "a restored user comes back whole");
  }

  @Test
  void deltaTokenLatestReturnsOnlyADeltaLinkThatTracksFromNow() {
    JsonNode page = f.getJson("/users/delta?$deltatoken=latest&$select=jobTitle");
    assertEquals(0, page.get("value").size());
    assertNotNull(page.get("@odata.deltaLink"));
    String id = cloudOnlyUser();
    f.write("PATCH", "/users/" + id, Map.of("jobTitle", "Chief Tester"));
    List<JsonNode> changes = items(f.crawl(page.get("@odata.deltaLink").asText()));
    assertEquals(1, changes.size());
    assertEquals("Chief Tester", changes.get(0).get("jobTitle").asText());
  }

  @Test
  void aDeltaLinkOlderThanSevenDaysFailsWithSyncStateNotFound() {
    String delta = deltaLink(fullRound(null));
    f.sim.admin().advanceClock(Duration.ofDays(6));
    f.resetToken();
    assertEquals(200, f.get(delta).statusCode());
    f.sim.admin().advanceClock(Duration.ofDays(1).plusSeconds(5));
    f.resetToken();
    HttpResponse<String> r = f.get(delta);
    assertEquals(400, r.statusCode());
    assertEquals("syncStateNotFound", SimulatorFixture.errorCode(r));
    assertEquals(200, f.get("/users/delta").statusCode(), "a new full round works");
  }

  @Test
  void selectingAPropertyDeltaCannotTrackAnswers501AndAnUnknownOneAnswers400() {
    HttpResponse<String> r = f.get("/users/delta?$select=displayName,skills");
    assertEquals(501, r.statusCode());
    assertEquals(Examples.load("error-501-notimplemented-delta-property.json").get("error").get("code").asText(),
        SimulatorFixture.errorCode(r));
    assertEquals(400, f.get("/users/delta?$select=noSuchThing").statusCode());
  }

  @Test
  void aFilterOnIdsTracksOnlyThoseUsers() {
    JsonNode users = f.getJson("/users?$top=10&$select=id").get("value");
    String a = users.get(3).get("id").asText();
    String b = users.get(4).get("id").asText();
    String filter = SimulatorFixture.enc("id eq '" + a + "' or id eq '" + b + "'");
    List<JsonNode> round = f.crawl("/users/delta?$select=displayName,usageLocation&$filter=" + filter);
    assertEquals(Set.of(a, b), new TreeSet<>(items(round).stream().map(u -> u.get("id").asText()).toList()));
    f.write("PATCH", "/users/" + a, Map.of("usageLocation", "SE"));
    f.write("PATCH", "/users/" + users.get(5).get("id").asText(), Map.of("usageLocation", "SE"));
    List<JsonNode> next = items(f.crawl(deltaLink(round)));
    assertEquals(1, next.size());
    assertEquals(a, next.get(0).get("id").asText());
    StringBuilder tooMany = new StringBuilder();
    for (int i = 0; i < 51; i++) {
      tooMany.append(i == 0 ? "" : " or ").append("id eq '").append(a).append("'");
    }
    assertEquals(400, f.get("/users/delta?$filter=" + SimulatorFixture.enc(tooMany.toString())).statusCode());
    assertEquals(400, f.get("/users/delta?$filter=" + SimulatorFixture.enc("displayName eq 'x'")).statusCode());
  }

  @Test
  void managerIsTrackedWhenSelectedAndItsChangesComeAsManagerDelta() {
    List<JsonNode> round = f.crawl("/users/delta?$select=displayName,manager");
    JsonNode withManager = items(round).stream().filter(u -> u.has("manager@delta")).findFirst().orElseThrow();
    JsonNode example = Examples.load("users-delta-manager.json").get("value").get(0).get("manager@delta").get(0);
    assertEquals(Examples.keys(example), Examples.keys(withManager.get("manager@delta").get(0)));
    assertFalse(items(f.crawl("/users/delta")).stream().anyMatch(u -> u.has("manager@delta")), "only when selected");

    String user = cloudOnlyUser().equals(f.getJson("/users/admin@" + f.tenant.domain()).get("id").asText())
        ? f.getJson("/users?$top=50&$select=id,onPremisesSyncEnabled,userType").get("value").findParents("id").stream()
            .filter(u -> u.get("onPremisesSyncEnabled").isNull() && u.get("userType").asText().equals("Member"))
            .skip(1).findFirst().orElseThrow().get("id").asText()
        : cloudOnlyUser();
    String oldManager = f.getJson("/users/" + user + "/manager?$select=id").get("id").asText();
    String newManager = f.getJson("/users?$top=50").get("value").get(30).get("id").asText();
    assertEquals(204, f.write("PUT", "/users/" + user + "/manager/$ref",
        Map.of("@odata.id", f.sim.graphBaseUrl() + "/users/" + newManager)).statusCode());
    JsonNode changed = items(f.crawl(deltaLink(round))).get(0);
    assertEquals(user, changed.get("id").asText());
    Map<String, Boolean> links = new HashMap<>();
    changed.get("manager@delta").forEach(l -> links.put(l.get("id").asText(), !l.has("@removed")));
    assertEquals(Map.of(oldManager, false, newManager, true), links);
    assertEquals(newManager, f.getJson("/users/" + user + "/manager").get("id").asText());
    assertEquals(204, f.write("DELETE", "/users/" + user + "/manager/$ref", null).statusCode());
    assertEquals(404, f.get("/users/" + user + "/manager").statusCode());
  }

  @Test
  void aLinkThatWasTamperedWithIsRefused() {
    String delta = deltaLink(fullRound(null));
    assertEquals(400, f.get(delta.substring(0, delta.length() - 3) + "abc").statusCode());
  }

  @Test
  void theDefaultPageHoldsTwoHundredUsersAndPreferMaxPageSizeIsHonoured() {
    try (SimulatorFixture big = new SimulatorFixture(b -> b.users(450))) {
      assertEquals(200, big.getJson("/users/delta").get("value").size());
      HttpResponse<String> r = big.get("/users/delta", "Prefer", "odata.maxpagesize=50");
      assertEquals(50, SimulatorFixture.json(r.body()).get("value").size());
      assertEquals("odata.maxpagesize=50", r.headers().firstValue("Preference-Applied").orElseThrow());
    }
  }

  private String cloudOnlyUser() {
    for (JsonNode u : f.getJson("/users?$select=id,onPremisesSyncEnabled,userType&$top=50").get("value")) {
      if (u.get("onPremisesSyncEnabled").isNull() && u.get("userType").asText().equals("Member")) {
        return u.get("id").asText();
      }
    }
    throw new AssertionError("no cloud-only user");
  }
}
