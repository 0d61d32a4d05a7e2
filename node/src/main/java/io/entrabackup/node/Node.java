package io.entrabackup.node;

import com.typesafe.config.Config;
import io.entrabackup.cluster.ClusterApp;
import io.entrabackup.cluster.JoinAfterSchema;
import io.entrabackup.cluster.compare.Comparisons;
import io.entrabackup.cluster.store.CassandraSecurity;
import io.entrabackup.cluster.restore.LiveObjects;
import io.entrabackup.cluster.retention.Retention;
import io.entrabackup.http.ApiRoutes;
import io.entrabackup.http.ApiServer;
import io.entrabackup.http.retention.RetentionRoutes;
import io.entrabackup.http.HttpSettings;
import io.entrabackup.http.account.AccountRoutes;
import io.entrabackup.http.account.AccountSettingsRoutes;
import io.entrabackup.http.audit.AuditSettings;
import io.entrabackup.http.audit.Auditing;
import io.entrabackup.http.auth.BearerKeyAuthenticator;
import io.entrabackup.http.consent.ConsentRoutes;
import io.entrabackup.http.download.DownloadRoutes;
import io.entrabackup.http.health.HealthCheck;
import io.entrabackup.http.health.HealthRoutes;
import io.entrabackup.http.job.JobRoutes;
import io.entrabackup.http.limits.RequestLimitSettings;
import io.entrabackup.http.limits.RequestRateLimit;
import io.entrabackup.http.history.HistoryRoutes;
import io.entrabackup.http.object.CompareRoutes;
import io.entrabackup.http.object.ObjectRoutes;
import io.entrabackup.http.restore.RestoreRoutes;
import io.entrabackup.http.tenant.TenantRoutes;
import io.entrabackup.node.ops.NodeHealthRegistry;
import io.entrabackup.protocol.api.Health;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * One running entra-backup node: the cluster side and the HTTP API in one actor system. Started by
 * {@link Main} and by integration tests alike.
 */
public final class Node {

  public static final String SYSTEM_NAME = "entra-backup";

  private final ActorSystem<Void> system;
  private final InetSocketAddress apiAddress;
  private final CompletionStage<Done> schemaReady;

  private Node(ActorSystem<Void> system, InetSocketAddress apiAddress, CompletionStage<Done> schemaReady) {
    this.system = system;
    this.apiAddress = apiAddress;
    this.schemaReady = schemaReady;
  }

  /** Starts a node with the given (fully resolved) configuration; completes once the API listens. */
  public static CompletionStage<Node> start(Config config, Clock clock) {
    // The node joins its seed nodes only once the Cassandra schema is ready (JoinAfterSchema says why).
    // Cassandra's credentials and TLS go into the driver's settings before any session opens (CassandraSecurity).
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME,
        JoinAfterSchema.deferJoin(CassandraSecurity.applyTo(config)));
    ClusterApp.Started cluster;
    try {
      cluster = ClusterApp.init(system, clock);
    } catch (RuntimeException e) {
      // Misconfiguration found while wiring: leave nothing running behind.
      system.terminate();
      throw e;
    }
    HttpSettings http = HttpSettings.create(system.settings().config());

    HealthCheck health = new HealthCheck() {
      @Override
      public Health live() {
        return cluster.health().live();
      }

      @Override
      public CompletionStage<Health> ready() {
        return cluster.health().ready();
      }
    };
    // Retention passes (cluster/RETENTION.md): the node's schedule, and passes on demand through the API.
    Retention retention = Retention.start(system, cluster.tenantDirectory(), cluster.schemaReady(), clock);
    var ownership = new TenantOwnership(system);
    var restores = new ClusterRestoreClient(system, ownership, cluster.restorePlans(), cluster.jobs(),
        cluster.skippedItems(), Optional.of(cluster.fourEyes().rules()),
        Optional.of(cluster.fourEyes().restoreRows()));
    var authenticator = new BearerKeyAuthenticator(cluster.accounts()::verify);
    var auditSettings = AuditSettings.create(system.settings().config());
    var audit = ClusterAuditClient.start(system, cluster.schemaReady(), clock, auditSettings.listScanBudget(),
        cluster.adminConsent());
    var jobs = new ClusterJobClient(system, cluster.jobs(), cluster.restoreJobs(), cluster.downloads(),
        Optional.of(cluster.fourEyes().approvals()));
    var tenants = new ClusterTenantClient(system, ownership, cluster.tenantDirectory(), cluster.jobs(),
        cluster.adminConsent(), cluster.directoryBindings());
    var routes = new ApiRoutes(
        authenticator,
        new TenantRoutes(tenants,
            new ObjectRoutes(new ClusterObjectClient(ownership, cluster.snapshots()), http,
                Optional.of(new RestoreRoutes(restores, http, clock)),
                Optional.of(new CompareRoutes(new ClusterCompareClient(ownership,
                    new Comparisons(cluster.snapshots(), new LiveObjects(cluster.restorePlans()))))),
                Optional.of(new HistoryRoutes(ClusterHistoryClient.start(system, ownership)))), http, clock),
        new AccountRoutes(new ClusterAccountClient(cluster.accounts(), tenants, cluster.tenantDirectory()), http),
        new JobRoutes(jobs, http, Optional.of(restores), Optional.of(new ClusterApprovalClient(system, cluster.accounts()))),
        new ConsentRoutes(cluster.adminConsent()::completeConsent),
        new HealthRoutes(health),
        Optional.of(new DownloadRoutes(
            new ClusterDownloadClient(ownership, cluster.downloads(), cluster.snapshots(), cluster.jobs(), jobs,
                system, cluster.fourEyes().rules()),
            authenticator, http, clock)),
        Optional.of(new AccountSettingsRoutes(new ClusterAccountSettingsClient(cluster.fourEyes().settings()), http)),
        new RequestRateLimit(RequestLimitSettings.create(system.settings().config())),
        Auditing.of(audit, auditSettings, http, clock))
        .withRetention(new RetentionRoutes(new ClusterRetentionClient(retention), http));

    // Pekko Management's /ready and /alive answer from this same check (management.conf, NodeHealthRegistry).
    NodeHealthRegistry.get(system.classicSystem()).register(health);
    return PekkoManagement.get(system).start()
        .thenCompose(managementUri -> ApiServer.start(system, routes.routes(), http))
        .thenApply(binding -> new Node(system, binding.localAddress(), cluster.schemaReady()))
        .whenComplete((node, error) -> {
          if (error != null) {
            system.terminate();
          }
        });
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public InetSocketAddress apiAddress() {
    return apiAddress;
  }

  /** Completes when our Cassandra tables exist and read models are being maintained. */
  public CompletionStage<Done> schemaReady() {
    return schemaReady;
  }

  /** Leaves the cluster and stops everything, as on SIGTERM. */
  public CompletionStage<Done> stop() {
    return CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
  }
}
