package io.entrabackup.cluster.store;

import com.typesafe.config.Config;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;

/** The {@code entra-backup.cassandra} section: where our own tables live and how they are created. */
public record CassandraSettings(
    String keyspace,
    String replicationStrategy,
    int replicationFactor,
    String dataCenterReplication,
    boolean createSchema,
    Duration healthTimeout) {

  /** The session every part of the node shares: the one Pekko Persistence opens. */
  public static final String SESSION_CONFIG_PATH = "pekko.persistence.cassandra";

  public static CassandraSettings create(ActorSystem<?> system) {
    return create(system.settings().config().getConfig("entra-backup.cassandra"));
  }

  public static CassandraSettings create(Config config) {
    return new CassandraSettings(
        config.getString("keyspace"),
        config.getString("replication-strategy"),
        config.getInt("replication-factor"),
        config.getString("data-center-replication"),
        config.getBoolean("create-schema"),
        config.getDuration("health-timeout"));
  }

  /** The replication map of {@code CREATE KEYSPACE}, as configured for this deployment. */
  public String replicationCql() {
    if ("NetworkTopologyStrategy".equals(replicationStrategy)) {
      return "{'class': 'NetworkTopologyStrategy', " + dataCenterReplication + "}";
    }
    return "{'class': 'SimpleStrategy', 'replication_factor': " + replicationFactor + "}";
  }
}
