package io.entrabackup.node.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.http.health.HealthCheck;
import io.entrabackup.protocol.api.Health;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.management.HealthCheckSettings;
import org.apache.pekko.management.javadsl.HealthChecks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pekko Management's checks, loaded by Pekko itself from the node's management.conf, answer what the node's own
 * health check answers: whatever /health/ready says, /ready says (ReadinessIT shows it on a running node).
 */
class ManagementHealthChecksTest {

  private static final Config NODE = ConfigFactory.load();

  private final AtomicReference<Health> ready = new AtomicReference<>();
  private final AtomicReference<Health> live = new AtomicReference<>(new Health("up", Map.of()));
  private ActorSystem system;
  private HealthChecks checks;

  @BeforeEach
  void startSystem() {
    system = ActorSystem.create("health-checks-test",
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(ConfigFactory.defaultReference()));
    checks = new HealthChecks((ExtendedActorSystem) system,
        HealthCheckSettings.create(NODE.getConfig("pekko.management.health-checks")));
  }

  @AfterEach
  void stopSystem() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void readinessFollowsTheNodesHealthCheck() throws Exception {
    register();
    ready.set(new Health("down", Map.of("cassandra", "up", "cluster", "Up", "schema", "pending")));
    assertFalse(answer(checks.ready()), "schema pending");
    ready.set(new Health("down", Map.of("cassandra", "down", "cluster", "Up", "schema", "up")));
    assertFalse(answer(checks.ready()), "Cassandra down");
    ready.set(new Health("down", Map.of("cassandra", "up", "cluster", "Joining", "schema", "up")));
    assertFalse(answer(checks.ready()), "still joining");
    ready.set(new Health("up", Map.of("cassandra", "up", "cluster", "Up", "schema", "up")));
    assertTrue(answer(checks.ready()));
  }

  @Test
  void livenessFollowsTheNodesHealthCheck() throws Exception {
    register();
    assertTrue(answer(checks.alive()));
    live.set(new Health("down", Map.of()));
    assertFalse(answer(checks.alive()));
  }

  @Test
  void beforeTheNodeRegistersNothingVouchesForIt() throws Exception {
    assertFalse(answer(checks.ready()));
    assertFalse(answer(checks.alive()));
  }

  @Test
  void aFailingCheckIsNotReady() throws Exception {
    register();
    ready.set(null); // the fake's ready() then fails, as a broken check would
    assertFalse(answer(checks.ready()));
  }

  @Test
  void onlyOurChecksDecideAndTheyOutwaitTheCassandraTimeout() {
    Config health = NODE.getConfig("pekko.management.health-checks");
    // Pekko's membership-only check would call a node ready whose Cassandra is down: it is switched off, and so is
    // every other library's check (a new one must be looked at before it may decide /ready on its own).
    assertEquals("", health.getString("readiness-checks.cluster-membership"));
    assertEquals(Map.of("cluster-membership", "", "sharding", "", "node-ready", ReadinessCheck.class.getName()),
        health.getConfig("readiness-checks").root().unwrapped());
    assertEquals(Map.of("node-alive", LivenessCheck.class.getName()),
        health.getConfig("liveness-checks").root().unwrapped());
    // Else a Cassandra answering in between would be "up" on /health/ready and a timeout on /ready.
    assertTrue(health.getDuration("check-timeout").compareTo(NODE.getDuration("entra-backup.cassandra.health-timeout"))
        > 0);
    assertEquals("ready", health.getString("readiness-path"));
    assertEquals("alive", health.getString("liveness-path"));
  }

  private void register() {
    NodeHealthRegistry.get(system).register(new HealthCheck() {
      @Override
      public Health live() {
        return live.get();
      }

      @Override
      public CompletionStage<Health> ready() {
        Health now = ready.get();
        return now == null ? CompletableFuture.failedFuture(new IllegalStateException("broken"))
            : CompletableFuture.completedFuture(now);
      }
    });
  }

  private static boolean answer(CompletionStage<Boolean> result) throws Exception {
    return result.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
