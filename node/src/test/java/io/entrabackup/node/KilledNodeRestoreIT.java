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
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A restore whose node is killed as {@code kill -9} does between its Graph writes ({@link NodeProcess}): the next node
 * plans again from the directory as it is and makes only the writes left, and the job's figures are those of a restore
 * never interrupted: each write counted once (those the dead node made too), no skipped item twice.
 */
class KilledNodeRestoreIT {

  @RegisterExtension static final TestCassandra cassandra = new TestCassandra();

  private static final String KEY = TestNode.BOOTSTRAP_KEY;

  @Test
  void aRestoreWhoseNodeIsKilledBetweenWritesCountsEachWriteOnce() throws Exception {
    try (Simulator simulator = Simulator.start(SimulatorConfig.builder().port(0).tenants(1).users(40).groups(12)
        .seed(47).stateDir(Path.of("target", "simulator-killed-node-restore-it")).build())) {
      TenantInfo contoso = simulator.tenants().get(0);
      SimulatorGraph graph = new SimulatorGraph(simulator, contoso.id());
      Set<String> wanted;
      String restored;
      String jobId;
      String tenantId;
      try (NodeProcess doomed = NodeProcess.start(cassandra, simulator, Map.of())) {
        tenantId = doomed.addAuthorizedTenant(simulator, contoso);
        String group = cloudSecurityGroup(graph);
        List<String> users = cloudUsers(graph).subList(0, 5);
        for (String user : users) {
          graph.send("POST", "/groups/" + group + "/members/$ref", graph.ref(user));
        }
        assertEquals("completed", doomed.backUpNow(tenantId).get("state").asText());
        String version = doomed.ok("GET", "/api/v1/tenants/" + tenantId + "/objects/groups/" + group + "/versions", null,
            200).get("versions").get(0).get("versionId").asText();
        wanted = graph.members(group);
        for (String user : users) {
          graph.ok("DELETE", "/groups/" + group + "/members/" + user + "/$ref", null);
        }
        assertEquals("completed", doomed.backUpNow(tenantId).get("state").asText());
        Set<String> before = graph.members(group);
        restored = group;

        // Each member write is answered only after 2 s (Graph has made it by then): the five take ten.
        simulator.admin().addFault(Faults.Kind.SLOW, 1.0, -1, "/$ref", null, 2000);
        jobId = doomed.ok("POST", "/api/v1/tenants/" + tenantId + "/objects/groups/" + group + "/restores",
            "{\"version\":\"" + version + "\"}", 202).get("jobId").asText();
        NodeProcess.awaitTrue(Duration.ofSeconds(60), () -> !graph.members(group).equals(before));
        assertFalse(graph.members(group).containsAll(wanted), "the node goes before the restore is done");
        doomed.kill();
        assertNotEquals(before, graph.members(group), "some writes were made by the node that died");
      }
      simulator.admin().clearFaults();

      try (TestNode next = TestNode.start(cassandra, simulator)) {
        JsonNode job = next.awaitJob(jobId, KEY, Duration.ofSeconds(120));
        assertEquals("completed", job.get("state").asText(), job.toString());
        assertEquals(wanted, graph.members(restored));
        // A restore of this version never interrupted adds the five members back: five writes, whichever node made
        // them, and nothing skipped.
        assertEquals(5, job.get("restore").get("changes").asLong(), job.toString());
        JsonNode skipped = next.get("/api/v1/jobs/" + jobId + "/skipped-items", KEY).get("items");
        assertEquals(0, skipped.size(), skipped.toString());
      }
    }
  }

  private static List<String> cloudUsers(SimulatorGraph graph) {
    List<String> users = StreamSupport.stream(graph.ok("GET", "/users?$select=id,userPrincipalName,"
        + "onPremisesSyncEnabled,userType&$top=999", null).get("value").spliterator(), false)
        .filter(u -> !u.path("onPremisesSyncEnabled").asBoolean(false) && "Member".equals(u.path("userType").asText())
            && !u.path("userPrincipalName").asText().startsWith("admin@"))
        .map(u -> u.get("id").asText()).sorted().toList();
    assertTrue(users.size() >= 5, users.toString());
    return users;
  }

  /** A group whose members an app may write. */
  private static String cloudSecurityGroup(SimulatorGraph graph) {
    return StreamSupport.stream(graph.ok("GET", "/groups?$select=id,groupTypes,mailEnabled,securityEnabled,"
            + "onPremisesSyncEnabled&$top=999", null).get("value").spliterator(), false)
        .filter(g -> g.path("groupTypes").isEmpty() && g.path("securityEnabled").asBoolean(false)
            && !g.path("mailEnabled").asBoolean(false) && !g.path("onPremisesSyncEnabled").asBoolean(false))
        .map(g -> g.get("id").asText()).sorted().findFirst().orElseThrow();
  }

}
