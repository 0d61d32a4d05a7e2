package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.directory.Churn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a restore cannot write, against the real simulator: the directory changes the way life changes it (HR sync
 * edits users, memberships come and go, a user is deleted for good), and restores to the version before list each
 * thing Graph will not take with its reason, change nothing Graph refuses, and end "completed with skipped items".
 */
class RestoreSkipsIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(60).groups(40).seed(37))
          .withAuthorizedTenant();

  private static SimulatorGraph graph;
  private static BackedUpDirectory backups;
  private static TenantRestores restores;
  /** Every object's newest version before the changes, by object id. */
  private static final Map<String, String> before = new HashMap<>();
  private static Map<String, Object> churned;
  private static List<JsonNode> groups;
  private static String keptGroup;
  private static String goneMember;

  @BeforeAll
  static void backUpThenChangeTheDirectory() {
    graph = deployment.graph();
    backups = deployment.backups();
    restores = deployment.restores();
    groups = graph.values("/groups?$select=id,displayName,groupTypes,mailEnabled,securityEnabled,onPremisesSyncEnabled"
        + "&$top=999");

    JsonNode first = backups.backUpNow(Duration.ofSeconds(60));
    assertEquals("completed", first.get("state").asText(), first.toString());
    for (String type : List.of("users", "groups")) {
      backups.list(type).forEach(item -> before.put(item.get("id").asText(),
          backups.latestVersionId(type, item.get("id").asText())));
    }

    // A cloud security group keeps a member that is then deleted for good.
    keptGroup = groupsWhere(g -> g.path("groupTypes").isEmpty() && g.path("securityEnabled").asBoolean(false)
        && !g.path("mailEnabled").asBoolean(false) && !synced(g) && !g.path("displayName").asText().equals("All Users"))
        .get(0);
    goneMember = ids(graph.values("/groups/" + keptGroup + "/members?$select=id&$top=999")).stream()
        .map(id -> graph.send("GET", "/users/" + id + "?$select=id,userPrincipalName,onPremisesSyncEnabled", null))
        .filter(found -> found.statusCode() == 200).map(found -> TestNode.read(found.body()))
        .filter(u -> !synced(u) && !u.path("userPrincipalName").asText().startsWith("admin@"))
        .map(u -> u.get("id").asText()).findFirst().orElseThrow();
    graph.ok("DELETE", "/users/" + goneMember, null);
    graph.ok("DELETE", "/directory/deletedItems/" + goneMember, null);
    // HR sync edits every user; members leave groups (dynamic and mail-enabled ones included).
    churned = deployment.simulator().admin().churn(deployment.tenant().id(), new Churn.Spec(5, "300", null, null, null,
        null, null, null, "400"));
    JsonNode second = backups.backUpNow(Duration.ofSeconds(60));
    assertEquals("completed", second.get("state").asText(), second.toString());
  }

  @Test
  void aSyncedUsersOnPremisesPropertiesAreSkippedAsSynced() {
    @SuppressWarnings("unchecked")
    List<String> updated = (List<String>) churned.get("usersUpdated");
    String user = updated.stream().distinct().filter(id -> synced(graph.ok("GET", "/users/" + id
        + "?$select=id,onPremisesSyncEnabled", null))).findFirst().orElseThrow(() -> new AssertionError(
            "no synced user among " + updated));
    String jobTitleNow = graph.ok("GET", "/users/" + user + "?$select=jobTitle", null).path("jobTitle").asText();

    JsonNode plan = restores.plan("users", user, before.get(user));
    assertFalse(plan.get("propertiesToSet").has("jobTitle"), plan.toString());
    JsonNode job = restore("users", user);

    assertEquals("completed_with_skipped_items", job.get("state").asText(), job.toString());
    JsonNode jobTitle = item(restores.skippedItems(job), "jobTitle");
    assertEquals("synced_from_on_premises", jobTitle.get("reason").asText(), jobTitle.toString());
    assertEquals("users", jobTitle.get("objectType").asText());
    assertEquals(user, jobTitle.get("objectId").asText());
    assertEquals(jobTitleNow, graph.ok("GET", "/users/" + user + "?$select=jobTitle", null).path("jobTitle").asText(),
        "nothing written to a synced property");
  }

  @Test
  void aDynamicGroupsMembersAreSkippedAndLeftToItsRule() {
    String group = changedGroup(g -> g.path("groupTypes").toString().contains("DynamicMembership"));
    Set<String> membersNow = graph.members(group);

    JsonNode job = restore("groups", group);

    assertEquals("completed_with_skipped_items", job.get("state").asText(), job.toString());
    List<JsonNode> members = items(restores.skippedItems(job), "members/");
    assertFalse(members.isEmpty(), restores.skippedItems(job).toString());
    members.forEach(item -> assertEquals("dynamic_group_members", item.get("reason").asText(), item.toString()));
    assertEquals(membersNow, graph.members(group), "no member write to a dynamic group");
  }

  @Test
  void aMailEnabledGroupIsSkippedWhole() {
    String group = changedGroup(g -> g.path("mailEnabled").asBoolean(false)
        && !g.path("groupTypes").toString().contains("Unified"));
    Set<String> membersNow = graph.members(group);

    JsonNode job = restore("groups", group);

    assertEquals("completed_with_skipped_items", job.get("state").asText(), job.toString());
    JsonNode whole = item(restores.skippedItems(job), "object");
    assertEquals("mail_enabled_or_distribution_group", whole.get("reason").asText(), whole.toString());
    assertEquals(0, job.get("restore").get("changes").asLong(), job.toString());
    assertEquals(membersNow, graph.members(group));
  }

  @Test
  void aMemberThatNoLongerExistsIsSkippedAndTheOthersComeBack() {
    JsonNode job = restore("groups", keptGroup);

    assertEquals("completed_with_skipped_items", job.get("state").asText(), job.toString());
    JsonNode gone = item(restores.skippedItems(job), "members/" + goneMember);
    assertEquals("member_no_longer_exists", gone.get("reason").asText(), gone.toString());
    Set<String> wanted = new TreeSet<>(ids(backups.version("groups", keptGroup, before.get(keptGroup)).get("members")));
    wanted.remove(goneMember);
    assertEquals(wanted, graph.members(keptGroup), "every member that still exists is back");
  }

  // ------------------------------------------------------------------------------------------------ helpers

  /** Restores the object to its version before the changes; answers the ended job. */
  private static JsonNode restore(String type, String id) {
    return restores.restore(type, id, before.get(id));
  }

  /** A group of the kind whose members the churn changed. */
  private static String changedGroup(Predicate<JsonNode> kind) {
    @SuppressWarnings("unchecked")
    List<String> removed = (List<String>) churned.get("membersRemoved");
    Set<String> touched = new TreeSet<>();
    removed.forEach(pair -> touched.add(pair.substring(0, pair.indexOf('/'))));
    return groupsWhere(kind).stream().filter(touched::contains).findFirst()
        .orElseThrow(() -> new AssertionError("no such group among those the churn changed: " + touched));
  }

  private static List<String> groupsWhere(Predicate<JsonNode> kind) {
    return groups.stream().filter(kind).map(g -> g.get("id").asText()).sorted().toList();
  }

  private static JsonNode item(JsonNode skipped, String item) {
    return StreamSupport.stream(skipped.spliterator(), false).filter(s -> s.get("item").asText().equals(item))
        .findFirst().orElseThrow(() -> new AssertionError("no skipped item " + item + " in " + skipped));
  }

  private static List<JsonNode> items(JsonNode skipped, String prefix) {
    return StreamSupport.stream(skipped.spliterator(), false).filter(s -> s.get("item").asText().startsWith(prefix))
        .toList();
  }

  private static List<String> ids(Iterable<JsonNode> refs) {
    List<String> ids = new ArrayList<>();
    refs.forEach(ref -> ids.add(ref.get("id").asText()));
    return ids;
  }

  private static boolean synced(JsonNode object) {
    return object.path("onPremisesSyncEnabled").asBoolean(false);
  }
}
