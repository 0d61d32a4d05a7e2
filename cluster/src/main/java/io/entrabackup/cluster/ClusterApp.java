package io.entrabackup.cluster;

import io.entrabackup.cluster.health.NodeHealth;
import io.entrabackup.cluster.store.CassandraSchema;
import io.entrabackup.cluster.store.CassandraSettings;
import io.entrabackup.cluster.tenant.TenantDirectory;
import io.entrabackup.cluster.tenant.TenantDirectoryProjection;
import io.entrabackup.cluster.tenant.TenantEntity;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The architecture's table of contents: everything a node runs, in start order. {@code Main} and the
 * integration tests both start a node through here.
 */
public final class ClusterApp {

  private static final Logger log = LoggerFactory.getLogger(ClusterApp.class);

  /** What the rest of the node (the HTTP API) may use once the cluster side is up. */
  public record Started(TenantDirectory tenantDirectory, NodeHealth health) {}

  private ClusterApp() {}

  public static CompletionStage<Started> init(ActorSystem<?> system, Clock clock) {
    joinSelfWithoutSeeds(system);
    CassandraSettings cassandra = CassandraSettings.create(system);
    CassandraSession session =
        CassandraSessionRegistry.get(system)
            .sessionFor(CassandraSessionSettings.create(CassandraSettings.SESSION_CONFIG_PATH));

    TenantEntity.init(system, clock);

    CompletionStage<?> schema =
        cassandra.createSchema()
            ? CassandraSchema.createIfNotExists(session, cassandra)
                .thenCompose(done -> CassandraProjection.createTablesIfNotExists(system))
            : CompletableFuture.completedFuture(null);
    return schema.thenApply(
        ready -> {
          TenantDirectory directory = new TenantDirectory(session, cassandra.keyspace());
          TenantDirectoryProjection.init(system, directory);
          log.info("Cluster side of node {} started", Cluster.get(system).selfMember().address());
          return new Started(directory, new NodeHealth(system, session, cassandra.healthTimeout()));
        });
  }

  /** A node with no configured seed nodes forms a one-node cluster by itself (development). */
  private static void joinSelfWithoutSeeds(ActorSystem<?> system) {
    if (system.settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty()) {
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
  }
}
