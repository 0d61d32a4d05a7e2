package io.entrabackup.simulator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.SimulatorFixture;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulator started with {@code keepState} and stopped comes back, on the same state directory, with its consents,
 * its registrations, its clock and every change written to its directory (through Graph and the admin API), and the
 * links it handed out still work.
 */
class KeptStateTest {
  private static final String APP = "aaaaaaaa-1111-2222-3333-444444444444";
  private static final String CALLBACK = "https://localhost:8443/auth/callback";

  @TempDir
  Path dir;

  private SimulatorFixture start(Consumer<SimulatorConfig.Builder> more) {
    return new SimulatorFixture(b -> {
      b.stateDir(dir).keepState(true).users(60).groups(12)
          .app(new SimulatorConfig.AppRegistration(APP, "app-secret", List.of(CALLBACK), null, false));
      more.accept(b);
    });
  }

  private SimulatorFixture start() {
    return start(b -> { });
  }

  @Test
  void consentsAndChangesAreThereAfterARestartAndTheLinksHandedOutBeforeStillWork() {
    String tenant;
    String created;
    String deleted;
    String deltaPath;
    String usersPath;
    Map<String, Object> touchedBefore = new TreeMap<>();
    List<JsonNode> everyUserBefore;
    Duration clockBefore;
    try (SimulatorFixture f = start()) {
      tenant = f.tenant.id();
      assertEquals("unauthorized_client", f.tokenFor(tenant, APP, "app-secret").get("error").asText());
      assertEquals(302, consentPage(f, tenant).statusCode());
      assertNotNull(f.tokenFor(tenant, APP, "app-secret").get("access_token"));

      String userToChange = retitleACloudMember(f, "Kept Title");
      HttpResponse<String> post = f.write("POST", "/users", newUser(f, "kept.one"));
      assertEquals(201, post.statusCode(), post.body());
      created = SimulatorFixture.json(post.body()).get("id").asText();
      deleted = firstUser(f, u -> u.get("userType").asText().equals("Member") && !u.get("id").asText().equals(userToChange)
          && !u.get("userPrincipalName").asText().startsWith("admin@"));
      assertEquals(204, f.write("DELETE", "/users/" + deleted, null).statusCode());
      assertEquals(200, f.admin("POST", "/tenants/" + tenant + "/churn", Map.of("seed", 3,
          "users", Map.of("update", 4, "delete", 1), "groups", Map.of("update", 2, "addMembers", 3, "removeMembers", 2),
          "roles", Map.of("assign", 1, "unassign", 1))).statusCode());
      f.sim.admin().advanceClock(Duration.ofDays(2));
      clockBefore = f.sim.clock().offset();
      f.resetToken();

      List<JsonNode> round = f.crawl("/users/delta?$select=displayName,jobTitle");
      // One change after the deltaLink: the link must report it after the restart.
      assertEquals(204, f.write("PATCH", "/users/" + userToChange, Map.of("jobTitle", "Changed After The Link")).statusCode());
      deltaPath = SimulatorFixture.deltaLink(round).substring(f.sim.baseUrl().length());
      // A plain list's next page, handed out before the restart.
      usersPath = f.getJson("/users?$top=10").get("@odata.nextLink").asText().substring(f.sim.baseUrl().length());
      for (String id : List.of(userToChange, created, deleted)) {
        touchedBefore.put(id, f.sim.admin().object(tenant, id));
      }
      everyUserBefore = SimulatorFixture.items(f.crawl("/users/delta"));
    }

    try (SimulatorFixture f = start()) {
      // The consent given on the consent page before the restart: the app gets tokens without asking again.
      assertTrue(f.tokenFor(tenant, APP, "app-secret").hasNonNull("access_token"));
      for (Map.Entry<String, Object> e : touchedBefore.entrySet()) {
        assertEquals(e.getValue(), f.sim.admin().object(tenant, e.getKey()), e.getKey());
      }
      assertEquals(everyUserBefore, SimulatorFixture.items(f.crawl("/users/delta")));
      assertTrue(f.sim.clock().offset().minus(clockBefore).abs().toSeconds() < 5, "the clock stays where it was moved");

      JsonNode changes = f.getJson(f.sim.baseUrl() + deltaPath);
      assertEquals(1, changes.get("value").size(), changes.toString());
      assertEquals("Changed After The Link", changes.get("value").get(0).get("jobTitle").asText());
      assertEquals(10, f.getJson(f.sim.baseUrl() + usersPath).get("value").size());

      // The id sequence goes on where it was: a new user never gets the id of one created before the restart.
      HttpResponse<String> post = f.write("POST", "/users", newUser(f, "kept.two"));
      assertEquals(201, post.statusCode(), post.body());
      assertNotEquals(created, SimulatorFixture.json(post.body()).get("id").asText());
    }

    try (SimulatorFixture f = start()) {
      assertEquals(2, f.getJson("/users?$top=999&$select=id,userPrincipalName").get("value").findValuesAsText("userPrincipalName")
          .stream().filter(upn -> upn.startsWith("kept.")).count(), "a third start keeps what the second one wrote");
    }
  }

  @Test
  void aJournalForAnotherDirectoryIsSetAsideAndTheGeneratedDirectoryIsUsed() throws Exception {
    String changed;
    try (SimulatorFixture f = start()) {
      changed = retitleACloudMember(f, "Kept Title");
    }
    try (SimulatorFixture f = start(b -> b.users(61))) {
      assertNotEquals("Kept Title", jobTitle(f, changed));
      assertTrue(Files.exists(dir.resolve(ChangeJournal.FILE + ".set-aside")));
    }
  }

  @Test
  void anAppRegistrationsGroupMembershipClaimsIsKeptAndTheStartFlagsDoNotResetIt() {
    try (SimulatorFixture f = start()) {
      f.sim.groupMembershipClaims(APP, "DirectoryRole");
    }
    try (SimulatorFixture f = start()) {
      assertEquals("DirectoryRole", f.sim.admin().apps().stream().filter(a -> APP.equals(a.get("clientId")))
          .findFirst().orElseThrow().get("groupMembershipClaims"));
    }
  }

  @Test
  void aSecondSimulatorCannotKeepItsStateInTheSameDirectory() {
    try (SimulatorFixture f = start()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, this::start);
      assertTrue(e.getMessage().contains("Another simulator keeps its state"), e.getMessage());
    }
  }

  @Test
  void aLineCutShortEndsTheJournalAndTheChangesBeforeItAreKept() throws Exception {
    String changed;
    try (SimulatorFixture f = start()) {
      changed = retitleACloudMember(f, "Kept Title");
    }
    Files.writeString(dir.resolve(ChangeJournal.FILE), "{\"entry\":\"tenantEdited\",\"tenant\":0,\"se",
        StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    try (SimulatorFixture f = start()) {
      assertEquals("Kept Title", jobTitle(f, changed));
      HttpResponse<String> r = f.write("PATCH", "/users/" + changed, Map.of("jobTitle", "Then This"));
      assertEquals(204, r.statusCode());
    }
    try (SimulatorFixture f = start()) {
      assertEquals("Then This", jobTitle(f, changed));
    }
  }

  @Test
  void whenTheReplayDoesNotReachTheSameChangesTheOldLinksAnswerSyncStateNotFound() throws Exception {
    String deltaPath;
    try (SimulatorFixture f = start()) {
      retitleACloudMember(f, "Kept Title");
      deltaPath = SimulatorFixture.deltaLink(f.crawl("/users/delta")).substring(f.sim.baseUrl().length());
    }
    Path journal = dir.resolve(ChangeJournal.FILE);
    List<String> lines = new ArrayList<>(Files.readAllLines(journal));
    String last = lines.remove(lines.size() - 1);
    assertTrue(last.contains("\"seq\":1,"), last);
    lines.add(last.replace("\"seq\":1,", "\"seq\":7,"));
    Files.write(journal, lines);
    try (SimulatorFixture f = start()) {
      HttpResponse<String> r = f.get(f.sim.baseUrl() + deltaPath);
      assertEquals(400, r.statusCode());
      assertEquals("syncStateNotFound", SimulatorFixture.errorCode(r));
      String fresh = SimulatorFixture.deltaLink(f.crawl("/users/delta")).substring(f.sim.baseUrl().length());
      deltaPath = fresh;
    }
    try (SimulatorFixture f = start()) {
      assertEquals(200, f.get(f.sim.baseUrl() + deltaPath).statusCode(), "links of the run after the reset keep working");
    }
  }

  @Test
  void withoutKeepStateNothingIsWrittenAndARestartStartsFromTheGeneratedDirectory() {
    try (SimulatorFixture f = new SimulatorFixture(b -> b.stateDir(dir))) {
      retitleACloudMember(f, "Not Kept");
    }
    assertFalse(Files.exists(dir.resolve(ChangeJournal.FILE)));
    assertFalse(Files.exists(dir.resolve(RegistrySnapshot.FILE)));
    try (SimulatorFixture f = new SimulatorFixture(b -> b.stateDir(dir))) {
      assertNull(f.sim.admin().apps().stream().filter(a -> APP.equals(a.get("clientId"))).findAny().orElse(null));
    }
  }

  private static HttpResponse<String> consentPage(SimulatorFixture f, String tenant) {
    String url = f.sim.baseUrl() + "/" + tenant + "/v2.0/adminconsent?client_id=" + APP
        + "&scope=" + SimulatorFixture.enc("https://graph.microsoft.com/.default")
        + "&redirect_uri=" + SimulatorFixture.enc(CALLBACK) + "&state=s&sim_decision=accept";
    return f.send(HttpRequest.newBuilder(URI.create(url)).build());
  }

  private static String firstUser(SimulatorFixture f, java.util.function.Predicate<JsonNode> p) {
    for (JsonNode u : f.getJson("/users?$top=999&$select=id,userType,onPremisesSyncEnabled,userPrincipalName").get("value")) {
      if (p.test(u)) {
        return u.get("id").asText();
      }
    }
    throw new AssertionError("no such user");
  }

  /** Sets the job title of the first cloud-mastered member (a user Graph lets an app write); returns the user's id. */
  private static String retitleACloudMember(SimulatorFixture f, String title) {
    String id = firstUser(f, u -> u.get("userType").asText().equals("Member") && u.get("onPremisesSyncEnabled").isNull());
    assertEquals(204, f.write("PATCH", "/users/" + id, Map.of("jobTitle", title)).statusCode());
    return id;
  }

  private static String jobTitle(SimulatorFixture f, String userId) {
    return f.getJson("/users/" + userId + "?$select=jobTitle").get("jobTitle").asText();
  }

  private static Map<String, Object> newUser(SimulatorFixture f, String name) {
    return Map.of("accountEnabled", true, "displayName", name, "mailNickname", name.replace(".", ""),
        "userPrincipalName", name + "@" + f.tenant.domain(),
        "passwordProfile", Map.of("forceChangePasswordNextSignIn", true, "password", "xWwvJ]6NMw+bWH-d"));
  }
}
