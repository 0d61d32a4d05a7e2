package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ops move tenant shards on a real three-node cluster in one JVM (real Nodes on the local Cassandra), through the
 * management routes and through deploy/ops itself: a moved shard's tenant runs on the chosen node, wrong moves are
 * refused with a problem document, and a node that leaves hands its shards (pinned ones too) to the others.
 */
class ShardOpsIT {

  @RegisterExtension static final TestCassandra cassandra = new TestCassandra();

  private static final Path OPS = Path.of(System.getProperty("user.dir")).getParent().resolve("deploy/ops");
  private static final Duration SETTLE = Duration.ofSeconds(60);

  private static Simulator simulator;
  private static TestCluster cluster;
  private static List<TestNode> nodes;
  private static final List<Integer> managementPorts = new ArrayList<>();
  private static final List<String> addresses = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    Path state = Files.createTempDirectory("simulator-shard-ops-");
    simulator = Simulator.start(SimulatorConfig.builder().tenants(1).users(5).groups(1).seed(3).port(0)
        .stateDir(state).build());
    cluster = TestCluster.start(cassandra, simulator, 3, Clock.systemUTC(), number -> ConfigFactory.parseString(
        // Bound by the node (port 0) and read back below: a port chosen here could be taken before the node binds it.
        "pekko.management.http.port = 0\npekko.cluster.sharding.rebalance-interval = 1s"));
    nodes = cluster.nodes();
    for (int number = 1; number <= cluster.size(); number++) {
      managementPorts.add(PekkoManagement.get(cluster.node(number).node.system()).start()
          .toCompletableFuture().get(10, TimeUnit.SECONDS).port());
      addresses.add(cluster.address(number));
    }
    nodes.get(0).await(SETTLE, () -> assertEquals(3, upMembers(nodes.get(0), 0)));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (simulator != null) {
      simulator.close();
    }
  }

  @Test
  void aShardMovedWithDeployOpsRunsItsTenantOnTheChosenNodeAndALeaveHandsItOn() throws Exception {
    TestNode first = nodes.get(0);
    String tenant = first.ok(first.send("POST", "/api/v1/tenants",
        "{\"displayName\":\"Fabrikam\",\"entraTenant\":\"fabrikam.onmicrosoft.com\"}", TestNode.BOOTSTRAP_KEY), 201)
        .get("id").asText();
    Result members = ops("members");
    assertEquals(0, members.exitCode(), members.output());
    addresses.forEach(address -> assertTrue(members.output().contains(address), members.output()));
    JsonNode located = TestNode.read(ops("shards", "--tenant", tenant, "--json").output()).get("tenant");
    String shard = located.get("shard").asText();
    String before = located.get("node").asText();
    assertTrue(located.get("running").asBoolean(), located.toString());
    int target = addresses.indexOf(addresses.stream().filter(a -> !a.equals(before)).findFirst().orElseThrow());

    // deploy/ops numbers members as `deploy/ops members` lists them: sorted by address.
    int listed = addresses.stream().sorted().toList().indexOf(addresses.get(target)) + 1;
    Result moved = ops("move", shard, Integer.toString(listed));

    assertEquals(0, moved.exitCode(), moved.output());
    assertTrue(moved.output().contains("runs on " + addresses.get(target)), moved.output());
    first.await(SETTLE, () -> {
      JsonNode home = shardOf(first, shard);
      assertEquals(addresses.get(target), home.get("node").asText());
      assertEquals(addresses.get(target), home.get("pinnedTo").asText());
      assertTrue(home.get("tenants").toString().contains(tenant), home.toString());
    });
    Result shardList = ops("shards");
    assertEquals(0, shardList.exitCode(), shardList.output());
    assertTrue(shardList.output().contains(tenant), shardList.output());
    // The tenant answers from its new node, asked through any node.
    assertEquals("Fabrikam", nodes.get(2).get("/api/v1/tenants/" + tenant, TestNode.BOOTSTRAP_KEY)
        .get("displayName").asText());

    Result left = ops("leave", addresses.get(target).substring(addresses.get(target).indexOf('@') + 1));

    assertEquals(0, left.exitCode(), left.output());
    TestNode survivor = nodes.get(target == 0 ? 1 : 0);
    survivor.await(SETTLE, () -> {
      JsonNode home = shardOf(survivor, shard);
      assertNotEquals(addresses.get(target), home.get("node").asText());
      assertTrue(home.get("tenants").toString().contains(tenant), home.toString());
    });

    Result rebalanced = ops("rebalance");

    assertEquals(0, rebalanced.exitCode(), rebalanced.output());
    int survivorIndex = nodes.indexOf(survivor);
    survivor.await(SETTLE, () -> assertEquals(0, survivor.ok(survivor.send("GET", management(survivorIndex)
        + "/ops/shards", null, null), 200).get("pins").size()));
  }

  @Test
  void movesToAnUnknownShardOrMemberAreRefusedWithAProblem() throws Exception {
    TestNode first = nodes.get(0);
    var unknownShard = first.send("PUT", management(0) + "/ops/shards/128/location",
        "{\"node\":\"" + addresses.get(0) + "\"}", null);
    assertEquals(404, unknownShard.statusCode(), unknownShard.body());
    assertTrue(TestNode.read(unknownShard.body()).get("detail").asText().contains("0 to 127"), unknownShard.body());

    var unknownMember = first.send("PUT", management(0) + "/ops/shards/3/location",
        "{\"node\":\"pekko://entra-backup@10.9.9.9:25520\"}", null);
    assertEquals(400, unknownMember.statusCode(), unknownMember.body());
    assertTrue(TestNode.read(unknownMember.body()).get("detail").asText().contains("no member"), unknownMember.body());

    var notAnAddress = first.send("PUT", management(0) + "/ops/shards/3/location", "{\"node\":\"node-2\"}", null);
    assertEquals(400, notAnAddress.statusCode(), notAnAddress.body());

    Result refused = ops("move", "500", "1");
    assertEquals(1, refused.exitCode(), refused.output());
    assertTrue(refused.output().contains("no shard '500'"), refused.output());
  }

  private static JsonNode shardOf(TestNode node, String shard) {
    int index = nodes.indexOf(node);
    for (JsonNode home : node.ok(node.send("GET", management(index) + "/ops/shards", null, null), 200)
        .get("shards")) {
      if (home.get("shard").asText().equals(shard)) {
        return home;
      }
    }
    throw new AssertionError("shard " + shard + " runs nowhere");
  }

  private static int upMembers(TestNode node, int index) {
    int up = 0;
    for (JsonNode member : node.ok(node.send("GET", management(index) + "/cluster/members", null, null), 200)
        .get("members")) {
      up += "Up".equals(member.get("status").asText()) ? 1 : 0;
    }
    return up;
  }

  private static String management(int index) {
    return "http://127.0.0.1:" + managementPorts.get(index);
  }

  private record Result(int exitCode, String output) {}

  /** Runs deploy/ops against every node's management port, as ops would with ENTRA_OPS_URLS set. */
  private static Result ops(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(OPS.toString()));
    command.addAll(List.of(args));
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < managementPorts.size(); i++) {
      urls.add(management(i));
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("ENTRA_OPS_URLS", String.join(" ", urls));
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("deploy/ops " + String.join(" ", args) + " did not finish");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
