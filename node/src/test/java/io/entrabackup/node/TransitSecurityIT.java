package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.testing.TestMasterKey;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Encryption in transit, end to end, as deploy/run sets it up: certificates from deploy/dev-certs, a Cassandra of its
 * own in deploy/cassandra's secure mode (TLS required, PasswordAuthenticator; other ports and data than the shared
 * plain one every other IT uses), and a node that speaks HTTPS, joins members over mutual TLS and reaches that
 * Cassandra over TLS with its role. Checks that what lacks a certificate or a password is turned away.
 */
class TransitSecurityIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path WORK = Path.of("target", "transit-security").toAbsolutePath();
  private static final Path TLS = WORK.resolve("tls");
  private static final Path STRANGER_TLS = WORK.resolve("stranger-tls");
  /** The secure Cassandra's ports: clear of the shared one (9042, 7000, 7199) and deploy/cluster's (9043, 7010, 72xx). */
  private static final Map<String, String> CASSANDRA = Map.of(
      "CASSANDRA_DATA_DIR", WORK.resolve("cassandra").toString(),
      "CASSANDRA_PORT", "9144", "CASSANDRA_STORAGE_PORT", "7110", "CASSANDRA_JMX_PORT", "7310",
      "CASSANDRA_HEAP", "768m",
      // A loaded 2-core machine (the suite's other JVMs, the shared Cassandra) took 114 s to start it once.
      "CASSANDRA_START_TIMEOUT", "300",
      "CASSANDRA_TLS_DIR", TLS.toString());

  private record Started(Node node, int port) {}

  private static String storePassword;
  private static Started node;

  @BeforeAll
  static void startSecureCassandraAndNode() throws Exception {
    run(Map.of(), "deploy/dev-certs", TLS.toString());
    run(Map.of("DEV_CERTS_NAME", "stranger"), "deploy/dev-certs", STRANGER_TLS.toString());
    storePassword = Files.readString(TLS.resolve("store-password")).strip();
    run(CASSANDRA, "deploy/cassandra", "start");
    node = startNode();
  }

  @AfterAll
  static void stopAll() throws Exception {
    try {
      if (node != null) {
        node.node().stop().toCompletableFuture().get(180, TimeUnit.SECONDS);
      }
    } finally {
      run(CASSANDRA, "deploy/cassandra", "clean");
    }
  }

  @Test
  void theApiAnswersOverHttpsWithHstsAndNotInPlainTextOnItsPort() throws Exception {
    HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(TLS.resolve("truststore.p12"))).build();
    HttpResponse<String> ready = trusting.send(HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + node.port() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ready.statusCode(), ready.body());
    assertEquals(List.of("max-age=31536000"), ready.headers().allValues("Strict-Transport-Security"));

    // A client that does not trust the deployment's CA does not get past the handshake.
    HttpClient stranger = HttpClient.newBuilder().sslContext(trusting(STRANGER_TLS.resolve("truststore.p12"))).build();
    assertThrows(IOException.class, () -> stranger.send(HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + node.port() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString()));

    // Plain HTTP on the same port is not served.
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.port() + "/health/ready")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void aProcessWithTheClustersCertificateJoinsAndOneWithoutItIsRefused() throws Exception {
    Address seed = Cluster.get(node.node().system()).selfMember().address();
    ActorSystem<Void> stranger = member(STRANGER_TLS, seed);
    ActorSystem<Void> member = member(TLS, seed);
    try {
      Address memberAddress = Cluster.get(member).selfMember().address();
      Address strangerAddress = Cluster.get(stranger).selfMember().address();
      var strangerUp = TestProbe.<SelfUp>create(stranger);
      Cluster.get(stranger).subscriptions().tell(Subscribe.create(strangerUp.ref(), SelfUp.class));

      var nodeProbe = TestProbe.create(node.node().system());
      nodeProbe.awaitAssert(Duration.ofSeconds(90), () -> {
        assertTrue(upMembers().contains(memberAddress), "members Up: " + upMembers());
        return null;
      });
      // The stranger has been trying to join since before the member: it is still nobody's member.
      strangerUp.expectNoMessage(Duration.ofSeconds(10));
      assertFalse(members().contains(strangerAddress), "members: " + members());
      assertFalse(Cluster.get(stranger).selfMember().status() == MemberStatus.up());
    } finally {
      // A member that is Up leaves through every coordinated-shutdown phase (each may take its timeout on a loaded
      // machine, and CI once needed more than 30 s); the checks above are what this test is about.
      member.terminate();
      stranger.terminate();
      member.getWhenTerminated().toCompletableFuture().get(180, TimeUnit.SECONDS);
      stranger.getWhenTerminated().toCompletableFuture().get(180, TimeUnit.SECONDS);
    }
  }

  @Test
  void theSecureCassandraTurnsAwayPlainConnectionsAndUnknownRoles() throws Exception {
    String password = Files.readString(TLS.resolve("cassandra-password")).strip();
    SSLContext tls = trusting(TLS.resolve("truststore.p12"));
    assertThrows(AllNodesFailedException.class,
        () -> secureCassandra().withAuthCredentials("entra_backup", password).build().close());
    assertThrows(AllNodesFailedException.class, () -> secureCassandra().withSslContext(tls).build().close());
    assertThrows(AllNodesFailedException.class, () -> secureCassandra().withSslContext(tls)
        .withAuthCredentials("cassandra", "cassandra").build().close());
    try (CqlSession session = secureCassandra().withSslContext(tls).withAuthCredentials("entra_backup", password)
        .build()) {
      // The node made its schema through the same kind of connection.
      assertTrue(session.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = 'transit_it'")
          .iterator().hasNext());
    }
  }

  /** A driver session to the secure Cassandra only (not the test classpath's configured contact points). */
  private static com.datastax.oss.driver.api.core.CqlSessionBuilder secureCassandra() {
    return CqlSession.builder().withConfigLoader(DriverConfigLoader.fromString("datastax-java-driver.basic {"
        + " contact-points = [\"127.0.0.1:9144\"], load-balancing-policy.local-datacenter = datacenter1 }"));
  }

  private static Started startNode() throws Exception {
    int port = TestPorts.free();
    String stores = "\"" + storePassword + "\"";
    Config overrides = ConfigFactory.parseString(String.join("\n",
        "entra-backup.cassandra.keyspace = transit_it",
        "entra-backup.cassandra.authentication.username = entra_backup",
        "entra-backup.cassandra.authentication.password-file = \"" + TLS.resolve("cassandra-password") + "\"",
        "entra-backup.cassandra.tls.enabled = on",
        "entra-backup.cassandra.tls.trust-store = \"" + TLS.resolve("truststore.p12") + "\"",
        "entra-backup.cassandra.tls.trust-store-password = " + stores,
        "datastax-java-driver.basic.contact-points = [\"127.0.0.1:9144\"]",
        "entra-backup.http.port = " + port,
        "entra-backup.http.tls.enabled = on",
        "entra-backup.http.tls.key-store = \"" + TLS.resolve("node.p12") + "\"",
        "entra-backup.http.tls.key-store-password = " + stores,
        "pekko.remote.artery.canonical.port = 0",
        "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on",
        "pekko.management.http.port = 0",
        "entra-backup.auth.bootstrap-key = \"" + TestNode.BOOTSTRAP_KEY + "\"",
        "entra-backup.auth.signing-key = \"" + TestNode.SIGNING_KEY + "\"",
        "entra-backup.graph.client-id = \"" + TestNode.CLIENT_ID + "\"",
        "entra-backup.graph.client-secret = \"" + TestNode.CLIENT_SECRET + "\"",
        TestMasterKey.SETTING))
        .withFallback(remoting(TLS));
    ConfigFactory.invalidateCaches();
    Config config = ConfigFactory.load(overrides.withFallback(ConfigFactory.defaultApplication()));
    Node started = Node.start(config, Clock.systemUTC()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    started.schemaReady().toCompletableFuture().get(300, TimeUnit.SECONDS);
    return new Started(started, port);
  }

  /** Remoting over TLS with mutual certificates, the certificate and trust of {@code tls}. */
  private static Config remoting(Path tls) throws IOException {
    String password = "\"" + Files.readString(tls.resolve("store-password")).strip() + "\"";
    return ConfigFactory.parseString(String.join("\n",
        "pekko.remote.artery.transport = tls-tcp",
        "pekko.remote.artery.ssl.config-ssl-engine {",
        "  key-store = \"" + tls.resolve("node.p12") + "\"",
        "  key-store-password = " + password,
        "  key-password = " + password,
        "  trust-store = \"" + tls.resolve("truststore.p12") + "\"",
        "  trust-store-password = " + password,
        "}"));
  }

  /**
   * A bare cluster member (no entra-backup in it) that tries to join {@code seed} with the certificate of {@code tls};
   * the cluster settings a joining node must share with the members (checked at join) are the node's.
   */
  private static ActorSystem<Void> member(Path tls, Address seed) throws IOException {
    Config nodeConfig = node.node().system().settings().config();
    Config config = ConfigFactory.parseString(String.join("\n",
            "pekko.actor.provider = cluster",
            "pekko.cluster.downing-provider-class = \"" + nodeConfig.getString("pekko.cluster.downing-provider-class")
                + "\"",
            "pekko.cluster.sharding.number-of-shards = " + nodeConfig.getInt("pekko.cluster.sharding.number-of-shards"),
            "pekko.remote.artery.canonical.hostname = 127.0.0.1",
            "pekko.remote.artery.canonical.port = " + TestPorts.free(),
            "pekko.cluster.seed-nodes = [\"" + seed + "\"]",
            "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on",
            "pekko.coordinated-shutdown.exit-jvm = off",
            "pekko.remote.artery.ssl.config-ssl-engine.require-mutual-authentication = on"))
        .withFallback(remoting(tls))
        .withFallback(ConfigFactory.defaultReference());
    return ActorSystem.create(Behaviors.empty(), Node.SYSTEM_NAME, config.resolve());
  }

  private static List<Address> upMembers() {
    return StreamSupport.stream(Cluster.get(node.node().system()).state().getMembers().spliterator(), false)
        .filter(member -> member.status() == MemberStatus.up()).map(Member::address).toList();
  }

  private static List<Address> members() {
    return StreamSupport.stream(Cluster.get(node.node().system()).state().getMembers().spliterator(), false)
        .map(Member::address).toList();
  }

  private static SSLContext trusting(Path trustStore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(trustStore)) {
      store.load(in, Files.readString(trustStore.resolveSibling("store-password")).strip().toCharArray());
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /** Runs one of deploy/'s scripts from the checkout's root; fails the class with its output if it fails. */
  private static void run(Map<String, String> env, String script, String... args) throws Exception {
    Files.createDirectories(WORK);
    Path log = WORK.resolve(script.replace('/', '-') + ".log");
    var command = new java.util.ArrayList<>(List.of("bash", ROOT.resolve(script).toString()));
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(400, TimeUnit.SECONDS)) {
      process.destroy();
      throw new AssertionError(script + " did not finish within 400 s; see " + log);
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(script + " " + String.join(" ", args) + " failed (" + process.exitValue() + "): "
          + Files.readString(log));
    }
  }
}
