package io.entrabackup.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

/**
 * The node starts with no seed nodes for Pekko to join on its own, and with create-schema = on only the first seed node
 * creates the schema.
 */
class JoinAfterSchemaTest {

  // Other nodes may run on this machine: ports the system hands out, never fixed ones.
  private static final int FIRST_PORT = freePort();
  private static final int SECOND_PORT = freePort();
  private static final String FIRST = "pekko://entra-backup@127.0.0.1:" + FIRST_PORT;
  private static final String SECOND = "pekko://entra-backup@127.0.0.1:" + SECOND_PORT;

  @Test
  void keepsTheConfiguredSeedNodesAsideSoThatPekkoDoesNotJoinThemAtStart() {
    Config deferred = JoinAfterSchema.deferJoin(node(SECOND_PORT, List.of(FIRST, SECOND)));
    assertEquals(List.of(), deferred.getStringList("pekko.cluster.seed-nodes"));
    assertEquals(List.of(FIRST, SECOND), deferred.getStringList(JoinAfterSchema.DEFERRED_SEED_NODES));
  }

  @Test
  void onlyTheFirstSeedNodeCreatesTheSchema() {
    assertEquals(Optional.empty(), madeElsewhere(FIRST_PORT, List.of(FIRST, SECOND)));
    Optional<String> second = madeElsewhere(SECOND_PORT, List.of(FIRST, SECOND));
    assertTrue(second.isPresent() && second.get().contains("first seed node " + FIRST), second.toString());
  }

  @Test
  void aNodeWithoutSeedNodesCreatesItItself() {
    assertEquals(Optional.empty(), madeElsewhere(freePort(), List.of()));
  }

  private static Optional<String> madeElsewhere(int port, List<String> seeds) {
    ActorTestKit kit = ActorTestKit.create("entra-backup", JoinAfterSchema.deferJoin(node(port, seeds)));
    try {
      return JoinAfterSchema.schemaMadeElsewhere(kit.system());
    } finally {
      kit.shutdownTestKit();
    }
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Config node(int port, List<String> seeds) {
    return ConfigFactory.parseString(String.join("\n",
            "pekko.actor.provider = cluster",
            "pekko.remote.artery.canonical.hostname = 127.0.0.1",
            "pekko.remote.artery.canonical.port = " + port,
            "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on"))
        .withValue("pekko.cluster.seed-nodes", com.typesafe.config.ConfigValueFactory.fromIterable(seeds))
        .withFallback(ConfigFactory.load()).resolve();
  }
}
