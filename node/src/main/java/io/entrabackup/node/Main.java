package io.entrabackup.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.cluster.store.SchemaCommand;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one node: {@code java -jar node/target/node.jar}, configured by {@code -Dconfig.file=...}. With the argument
 * {@code schema} it instead creates or migrates the Cassandra schema, configured the same way, and exits
 * ({@code deploy/schema}; see {@link SchemaCommand}).
 */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private static final String CASSANDRA_SESSION = "org.apache.pekko.stream.connectors.cassandra";

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 1 && args.length <= 2 && args[0].equals("schema")) {
      // The command says in one line why Cassandra could not be reached; the session's stack trace adds nothing.
      if (LoggerFactory.getLogger(CASSANDRA_SESSION) instanceof ch.qos.logback.classic.Logger session) {
        session.setLevel(ch.qos.logback.classic.Level.OFF);
      }
      System.exit(SchemaCommand.run(args.length == 2 ? args[1] : "migrate", ConfigFactory.load(), System.out,
          System.err));
      return;
    }
    if (args.length > 0) {
      System.err.println("usage: node.jar                   start a node\n"
          + "       node.jar schema [migrate]  apply the pending Cassandra schema migrations, then exit\n"
          + "       node.jar schema status     list the migrations, applied and pending, then exit");
      System.exit(2);
      return;
    }
    Config config =
        ConfigFactory.parseString("pekko.coordinated-shutdown.exit-jvm = on")
            .withFallback(ConfigFactory.load());
    Node node;
    try {
      node = Node.start(config, Clock.systemUTC()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("The node could not start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    var api = node.apiAddress();
    String scheme = config.getBoolean("entra-backup.http.tls.enabled") ? "https" : "http";
    log.info("entra-backup node is up: API {}://{}:{}/api/v1, health {}://{}:{}/health/ready, "
            + "management http://{}:{}/cluster/members",
        scheme, api.getHostString(), api.getPort(), scheme, api.getHostString(), api.getPort(),
        config.getString("pekko.management.http.hostname"), config.getInt("pekko.management.http.port"));
  }
}
