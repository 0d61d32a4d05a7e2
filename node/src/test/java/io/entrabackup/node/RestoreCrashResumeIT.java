package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.admin.SimulatorAdmin;
import io.entrabackup.simulator.throttle.Faults;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node that goes away in the middle of a restore: the tenant entity comes back on the next node with the restore
 * still running, respawns its worker, and the worker plans again against the directory as it is, so the job ends (never
 * stuck running) and the object equals the chosen version. Graph's member writes are slowed so the node can be stopped
 * while some are done and others are not.
 */
class RestoreCrashResumeIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(40).groups(12).seed(31))
          .withAuthorizedTenant();

  private final SimulatorAdmin simulator = deployment.simulator().admin();
  private final SimulatorGraph graph = deployment.graph();

  @AfterEach
  void clearFaults() {
    simulator.clearFaults();
  }

  @Test
  void aGroupRestoreInterruptedBetweenMemberWritesEndsOnTheNextNodeWithTheGroupAsChosen() throws Exception {
    String group = cloudSecurityGroups().get(0);
    List<String> users = cloudUsers();
    for (String user : users.subList(0, 5)) {
      graph.send("POST", "/groups/" + group + "/members/$ref", graph.ref(user));
    }
    deployment.backups().backUpNow(Duration.ofSeconds(60));
    String version = deployment.backups().latestVersionId("groups", group);
    JsonNode chosen = deployment.backups().version("groups", group, version);
    Set<String> wanted = ids(chosen.get("members"));
    assertTrue(wanted.size() >= 5, chosen.toString());

    for (String user : users.subList(0, 5)) {
      graph.ok("DELETE", "/groups/" + group + "/members/" + user + "/$ref", null);
    }
    Set<String> changed = graph.members(group);
    deployment.backups().backUpNow(Duration.ofSeconds(60));

    // Each member write is answered only after 2 s (Graph has made the change by then): five writes take ten.
    simulator.addFault(Faults.Kind.SLOW, 1.0, -1, "/$ref", null, 2000);
    String jobId = startRestore(group, version);
    deployment.node().await(Duration.ofSeconds(30),
        () -> assertNotEquals(changed, graph.members(group), "a first write landed"));
    assertFalse(graph.members(group).containsAll(wanted), "the node goes before the restore is done");
    deployment.restartNode(simulator::clearFaults);

    JsonNode job = deployment.backups().awaitJob(jobId, Duration.ofSeconds(90));
    assertEquals("completed", job.get("state").asText(), job.toString());
    assertEquals(wanted, graph.members(group));
    deployment.backups().backUpNow(Duration.ofSeconds(60));
    JsonNode after = deployment.backups().latest("groups", group);
    assertEquals(wanted, ids(after.get("members")), "the group equals the chosen version again");
    assertEquals(chosen.get("displayName"), after.get("displayName"));
  }

  @Test
  void aRecreatedGroupIsNotCreatedTwiceWhenTheNodeGoesAfterItsNewIdWasRecorded() throws Exception {
    String group = cloudSecurityGroups().get(1);
    for (String user : cloudUsers().subList(5, 9)) {
      graph.send("POST", "/groups/" + group + "/members/$ref", graph.ref(user));
    }
    deployment.backups().backUpNow(Duration.ofSeconds(60));
    String version = deployment.backups().latestVersionId("groups", group);
    JsonNode chosen = deployment.backups().version("groups", group, version);
    String name = chosen.get("displayName").asText();
    graph.ok("DELETE", "/groups/" + group, null); // a security group is gone for good at once
    deployment.backups().backUpNow(Duration.ofSeconds(60));

    simulator.addFault(Faults.Kind.SLOW, 1.0, -1, "/$ref", null, 2000);
    String jobId = startRestore(group, version);
    String[] newId = new String[1];
    deployment.node().await(Duration.ofSeconds(30), () -> {
      JsonNode job = deployment.node().get("/api/v1/jobs/" + jobId, TestDeployment.KEY);
      assertTrue(job.path("restore").hasNonNull("newObjectId"), "the new id is recorded: " + job);
      newId[0] = job.get("restore").get("newObjectId").asText();
    });
    deployment.restartNode(simulator::clearFaults);

    JsonNode job = deployment.backups().awaitJob(jobId, Duration.ofSeconds(90));
    assertTrue(job.get("state").asText().startsWith("completed"), job.toString());
    assertEquals("recreate", job.get("restore").get("action").asText(), job.toString());
    assertEquals(newId[0], job.get("restore").get("newObjectId").asText(), "the resumed run kept the object it made");
    assertEquals(1, groupsNamed(name), "created once");
    assertEquals(ids(chosen.get("members")), graph.members(newId[0]));
  }

  // ------------------------------------------------------------------------------------------------ helpers

  /** Starts a restore of the group, which runs at once; answers the job's id. */
  private static String startRestore(String group, String version) {
    JsonNode accepted = deployment.restores().start("groups", group, version);
    assertEquals("running", accepted.get("state").asText(), accepted.toString());
    return TestNode.jobId(accepted);
  }

  private List<String> cloudUsers() {
    List<String> users = StreamSupport.stream(graph.ok("GET", "/users?$select=id,userPrincipalName,"
        + "onPremisesSyncEnabled,userType&$top=999", null).get("value").spliterator(), false)
        .filter(u -> !u.path("onPremisesSyncEnabled").asBoolean(false) && "Member".equals(u.path("userType").asText())
            && !u.path("userPrincipalName").asText().startsWith("admin@"))
        .map(u -> u.get("id").asText()).sorted().toList();
    assertTrue(users.size() >= 9, users.toString());
    return users;
  }

  /** Groups whose members an app may write, and that go for good when deleted. */
  private List<String> cloudSecurityGroups() {
    List<String> groups = StreamSupport.stream(graph.ok("GET", "/groups?$select=id,groupTypes,mailEnabled,"
        + "securityEnabled,onPremisesSyncEnabled&$top=999", null).get("value").spliterator(), false)
        .filter(g -> g.path("groupTypes").isEmpty() && g.path("securityEnabled").asBoolean(false)
            && !g.path("mailEnabled").asBoolean(false) && !g.path("onPremisesSyncEnabled").asBoolean(false))
        .map(g -> g.get("id").asText()).sorted().toList();
    assertTrue(groups.size() >= 2, groups.toString());
    return groups;
  }

  private long groupsNamed(String name) {
    return StreamSupport.stream(graph.ok("GET", "/groups?$select=id,displayName&$top=999", null).get("value")
        .spliterator(), false).filter(g -> name.equals(g.path("displayName").asText())).count();
  }

  private static Set<String> ids(JsonNode refs) {
    Set<String> ids = new TreeSet<>();
    refs.forEach(ref -> ids.add(ref.get("id").asText()));
    return ids;
  }
}
