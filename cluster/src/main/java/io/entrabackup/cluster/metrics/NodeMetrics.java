package io.entrabackup.cluster.metrics;

import io.entrabackup.cluster.graph.http.GraphHttp;
import io.entrabackup.cluster.tenant.TenantEntity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * The node's metrics (cluster/METRICS.md lists each one): one Micrometer registry per actor system, so two nodes in one
 * JVM (the tests' clusters) never share a counter, reachable by whatever has the system (actors, the management
 * routes) without being handed down through constructors. Served in Prometheus text format by the node's
 * {@code MetricsRoutes} at {@code GET /metrics} on the management port.
 *
 * <p>Every name starts with {@code entra_backup_}; no label carries a tenant id, a job id or an object id: thousands of
 * tenants would be thousands of series per metric (Prometheus keeps each in memory), and ids in an operator's
 * dashboards are tenant data. Tenants appear only as their {@link TenantClasses size class}.
 */
public final class NodeMetrics implements Extension {

  public static final String PREFIX = "entra_backup_";

  private static final ExtensionId<NodeMetrics> ID = new ExtensionId<>() {
    @Override
    public NodeMetrics createExtension(ActorSystem<?> system) {
      return new NodeMetrics(system);
    }
  };

  private final ActorSystem<?> system;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final TenantClasses tenantClasses = new TenantClasses();
  private final BackupMetrics backups;
  private final GraphMetrics graph;
  private final RestoreDownloadMetrics restoresAndDownloads;

  private NodeMetrics(ActorSystem<?> system) {
    this.system = system;
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    // The GC binder listens to the JVM's notifications: stop listening with the system, or a stopped test node's
    // registry would keep counting the JVM's collections.
    system.getWhenTerminated().whenComplete((done, error) -> {
      gc.close();
      registry.close();
    });
    this.backups = new BackupMetrics(registry, tenantClasses);
    this.graph = new GraphMetrics(registry, tenantClasses);
    this.restoresAndDownloads = new RestoreDownloadMetrics(registry);
  }

  public static NodeMetrics get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  /**
   * Starts what is measured from outside our own code: the Graph layer's answers, the Cassandra driver's request
   * timer of our session, and the tenant shards and entities this node runs (asked every {@code shardsEvery}).
   * Called once where the node wires its parts (ClusterApp).
   */
  public void attach(CassandraSession session, GraphHttp graphHttp) {
    graphHttp.observe(graph);
    CassandraLatency.bind(registry, session, system);
    Duration every = system.settings().config().getDuration("entra-backup.metrics.shards-every");
    system.systemActorOf(ShardCounts.create(TenantEntity.ENTITY_TYPE_KEY, new ShardCounts.Gauges(registry,
        TenantEntity.ENTITY_TYPE_KEY.name()), every), "metrics-shard-counts", Props.empty());
  }

  /** A queue of jobs waiting on this node (for a backup slot, a download build slot), read at each scrape. */
  public void jobsWaiting(String kind, IntSupplier waiting) {
    Gauge.builder(PREFIX + "jobs_waiting", waiting, IntSupplier::getAsInt)
        .description("Jobs of this kind waiting on this node for a slot to run")
        .tag("kind", kind)
        .strongReference(true)
        .register(registry);
  }

  public BackupMetrics backups() {
    return backups;
  }

  public GraphMetrics graph() {
    return graph;
  }

  public RestoreDownloadMetrics restoresAndDownloads() {
    return restoresAndDownloads;
  }

  /** Which size class each tenant run on this node is in (for the Graph metrics' label). */
  public TenantClasses tenantClasses() {
    return tenantClasses;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Every metric now, in Prometheus text format 0.0.4. */
  public String scrape() {
    return registry.scrape();
  }
}
