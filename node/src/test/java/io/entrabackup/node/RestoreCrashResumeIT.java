package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import io.entrabackup.simulator.throttle.Faults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node that goes away in the middle of a restore: the tenant entity comes back on the next node with the restore
 * still running, respawns its worker, and the worker plans again against the directory as it is, so the job ends (never
 * stuck running) and the object equals the chosen version. Graph's member writes are slowed so the node can be stopped
 * while some are done and others are not.
 */
class RestoreCrashResumeIT {

  @RegisterExtension static final TestCassandra cassandra = new TestCassandra();

  private static final String KEY = TestNode.BOOTSTRAP_KEY;
  private static final List<String> ENDED = List.of("completed", "completed_with_skipped_items", "failed");

  private static Simulator simulator;
  private static TestNode node;
  private static TenantInfo tenant;
  private static String tenantId;
  private static SimulatorGraph graph;

  @BeforeAll
  static void start() throws Exception {
    simulator = Simulator.start(SimulatorConfig.builder().port(0).tenants(1).users(40).groups(12).seed(31)
        .stateDir(Path.of("target", "simulator-restore-crash-it")).build());
    tenant = simulator.tenants().get(0);
    node = TestNode.start(cassandra, simulator);
    tenantId = node.addAuthorizedTenant(simulator, tenant, KEY, false);
    graph = new SimulatorGraph(simulator, tenant.id());
  }

  @AfterEach
  void clearFaults() {
    simulator.admin().clearFaults();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (simulator != null) {
      simulator.close();
    }
  }

  @Test
  void aGroupRestoreInterruptedBetweenMemberWritesEndsOnTheNextNodeWithTheGroupAsChosen() throws Exception {
    String group = cloudSecurityGroups().get(0);
    List<String> users = cloudUsers();
    for (String user : users.subList(0, 5)) {
      graph.send("POST", "/groups/" + group + "/members/$ref", ref(user));
    }
    backups().backUpNow(Duration.ofSeconds(60));
    String version = backups().versions("groups", group).get(0).get("versionId").asText();
    JsonNode chosen = backups().version("groups", group, version);
    Set<String> wanted = ids(chosen.get("members"));
    assertTrue(wanted.size() >= 5, chosen.toString());

    for (String user : users.subList(0, 5)) {
      graph.ok("DELETE", "/groups/" + group + "/members/" + user + "/$ref", null);
    }
    Set<String> changed = liveMembers(group);
    backups().backUpNow(Duration.ofSeconds(60));

    // Each member write is answered only after 2 s (Graph has made the change by then): five writes take ten.
    simulator.admin().addFault(Faults.Kind.SLOW, 1.0, -1, "/$ref", null, 2000);
    String jobId = startRestore("groups", group, version);
    node.await(Duration.ofSeconds(30), () -> assertNotEquals(changed, liveMembers(group), "a first write landed"));
    assertFalse(liveMembers(group).containsAll(wanted), "the node goes before the restore is done");
    restartNode();

    JsonNode job = awaitJob(jobId, Duration.ofSeconds(90));
    assertEquals("completed", job.get("state").asText(), job.toString());
    assertEquals(wanted, liveMembers(group));
    backups().backUpNow(Duration.ofSeconds(60));
    JsonNode after = backups().latest("groups", group);
    assertEquals(wanted, ids(after.get("members")), "the group equals the chosen version again");
    assertEquals(chosen.get("displayName"), after.get("displayName"));
  }

  @Test
  void aRecreatedGroupIsNotCreatedTwiceWhenTheNodeGoesAfterItsNewIdWasRecorded() throws Exception {
    String group = cloudSecurityGroups().get(1);
    for (String user : cloudUsers().subList(5, 9)) {
      graph.send("POST", "/groups/" + group + "/members/$ref", ref(user));
    }
    backups().backUpNow(Duration.ofSeconds(60));
    String version = backups().versions("groups", group).get(0).get("versionId").asText();
    JsonNode chosen = backups().version("groups", group, version);
    String name = chosen.get("displayName").asText();
    graph.ok("DELETE", "/groups/" + group, null); // a security group is gone for good at once
    backups().backUpNow(Duration.ofSeconds(60));

    simulator.admin().addFault(Faults.Kind.SLOW, 1.0, -1, "/$ref", null, 2000);
    String jobId = startRestore("groups", group, version);
    String[] newId = new String[1];
    node.await(Duration.ofSeconds(30), () -> {
      JsonNode job = node.ok(node.send("GET", "/api/v1/jobs/" + jobId, null, KEY), 200);
      assertTrue(job.path("restore").hasNonNull("newObjectId"), "the new id is recorded: " + job);
      newId[0] = job.get("restore").get("newObjectId").asText();
    });
    restartNode();

    JsonNode job = awaitJob(jobId, Duration.ofSeconds(90));
    assertTrue(job.get("state").asText().startsWith("completed"), job.toString());
    assertEquals("recreate", job.get("restore").get("action").asText(), job.toString());
    assertEquals(newId[0], job.get("restore").get("newObjectId").asText(), "the resumed run kept the object it made");
    assertEquals(1, groupsNamed(name), "created once");
    assertEquals(ids(chosen.get("members")), liveMembers(newId[0]));
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static void restartNode() throws Exception {
    node.close();
    node = null;
    simulator.admin().clearFaults();
    node = TestNode.start(cassandra, simulator);
  }

  private static BackedUpDirectory backups() {
    return new BackedUpDirectory(node, simulator, tenant.id(), tenantId, KEY);
  }

  private static String startRestore(String type, String id, String version) {
    JsonNode accepted = node.ok(node.send("POST", "/api/v1/tenants/" + tenantId + "/objects/" + type + "/" + id
        + "/restores", "{\"version\":\"" + version + "\"}", KEY), 202);
    assertEquals("running", accepted.get("state").asText(), accepted.toString());
    return accepted.get("jobId").asText();
  }

  private static JsonNode awaitJob(String jobId, Duration max) {
    JsonNode[] job = new JsonNode[1];
    node.await(max, () -> {
      job[0] = node.ok(node.send("GET", "/api/v1/jobs/" + jobId, null, KEY), 200);
      assertTrue(ENDED.contains(job[0].get("state").asText()), job[0].toString());
    });
    return job[0];
  }

  private static List<String> cloudUsers() {
    List<String> users = StreamSupport.stream(graph.ok("GET", "/users?$select=id,userPrincipalName,"
        + "onPremisesSyncEnabled,userType&$top=999", null).get("value").spliterator(), false)
        .filter(u -> !u.path("onPremisesSyncEnabled").asBoolean(false) && "Member".equals(u.path("userType").asText())
            && !u.path("userPrincipalName").asText().startsWith("admin@"))
        .map(u -> u.get("id").asText()).sorted().toList();
    assertTrue(users.size() >= 9, users.toString());
    return users;
  }

  /** Groups whose members an app may write, and that go for good when deleted. */
  private static List<String> cloudSecurityGroups() {
    List<String> groups = StreamSupport.stream(graph.ok("GET", "/groups?$select=id,groupTypes,mailEnabled,"
        + "securityEnabled,onPremisesSyncEnabled&$top=999", null).get("value").spliterator(), false)
        .filter(g -> g.path("groupTypes").isEmpty() && g.path("securityEnabled").asBoolean(false)
            && !g.path("mailEnabled").asBoolean(false) && !g.path("onPremisesSyncEnabled").asBoolean(false))
        .map(g -> g.get("id").asText()).sorted().toList();
    assertTrue(groups.size() >= 2, groups.toString());
    return groups;
  }

  private static Set<String> liveMembers(String group) {
    return ids(graph.ok("GET", "/groups/" + group + "/members?$select=id&$top=999", null).get("value"));
  }

  private static long groupsNamed(String name) {
    return StreamSupport.stream(graph.ok("GET", "/groups?$select=id,displayName&$top=999", null).get("value")
        .spliterator(), false).filter(g -> name.equals(g.path("displayName").asText())).count();
  }

  private static Set<String> ids(JsonNode refs) {
    Set<String> ids = new TreeSet<>();
    refs.forEach(ref -> ids.add(ref.get("id").asText()));
    return ids;
  }

  private static String ref(String id) {
    return "{\"@odata.id\":\"" + simulator.graphBaseUrl() + "/directoryObjects/" + id + "\"}";
  }
}
