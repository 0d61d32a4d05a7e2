package io.entrabackup.cluster.store;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorSystem;

/** The {@code entra-backup.cassandra} section: where our own tables live and how they are created. */
public record CassandraSettings(
    String keyspace,
    String replicationStrategy,
    int replicationFactor,
    List<String> dataCenterReplicationFactors,
    boolean createSchema,
    Duration healthTimeout) {

  /** The driver session of our own tables and projection offsets (not the journal's). */
  public static final String SESSION_CONFIG_PATH = "entra-backup.cassandra.session";

  public static CassandraSettings create(ActorSystem<?> system) {
    return create(system.settings().config().getConfig("entra-backup.cassandra"));
  }

  public static CassandraSettings create(Config config) {
    return new CassandraSettings(
        config.getString("keyspace"),
        config.getString("replication-strategy"),
        config.getInt("replication-factor"),
        config.getStringList("data-center-replication-factors"),
        config.getBoolean("create-schema"),
        config.getDuration("health-timeout"));
  }

  /** The replication map of {@code CREATE KEYSPACE}, as configured for this deployment. */
  public String replicationCql() {
    if ("NetworkTopologyStrategy".equals(replicationStrategy)) {
      // "dc1:3" entries, the format Pekko's Cassandra plugin takes for the journal keyspace too.
      String dataCenters =
          dataCenterReplicationFactors.stream()
              .map(entry -> entry.split(":", 2))
              .map(parts -> "'" + parts[0].strip() + "': " + Integer.parseInt(parts[1].strip()))
              .collect(Collectors.joining(", "));
      return "{'class': 'NetworkTopologyStrategy', " + dataCenters + "}";
    }
    return "{'class': 'SimpleStrategy', 'replication_factor': " + replicationFactor + "}";
  }
}
