package io.entrabackup.cluster;

import io.entrabackup.cluster.account.AccountSettingsStore;
import io.entrabackup.cluster.account.AccountStore;
import io.entrabackup.cluster.approval.FourEyesRules;
import io.entrabackup.cluster.account.AuthSettings;
import io.entrabackup.cluster.auth.SigningKeys;
import io.entrabackup.cluster.graph.GraphAccess;
import io.entrabackup.cluster.graph.GraphSettings;
import io.entrabackup.cluster.backup.BackupSettings;
import io.entrabackup.cluster.backup.BackupSlots;
import io.entrabackup.cluster.backup.QueuedBackupRunner;
import io.entrabackup.cluster.download.DownloadBuildSlots;
import io.entrabackup.cluster.metrics.NodeMetrics;
import io.entrabackup.cluster.download.DownloadBuilder;
import io.entrabackup.cluster.download.DownloadJobEntity;
import io.entrabackup.cluster.download.DownloadJobRows;
import io.entrabackup.cluster.download.DownloadLinks;
import io.entrabackup.cluster.download.DownloadSettings;
import io.entrabackup.cluster.download.DownloadStore;
import io.entrabackup.cluster.download.Downloads;
import io.entrabackup.cluster.backup.GraphBackupRunner;
import io.entrabackup.cluster.graph.read.ReadSettings;
import io.entrabackup.cluster.graph.read.RoundReader;
import io.entrabackup.cluster.health.NodeHealth;
import io.entrabackup.cluster.job.JobApprovals;
import io.entrabackup.cluster.job.JobDirectoryProjection;
import io.entrabackup.cluster.job.JobStore;
import io.entrabackup.cluster.job.RestoreApprovalRows;
import io.entrabackup.cluster.job.RestoreJobs;
import io.entrabackup.cluster.restore.GraphRestoreRunner;
import io.entrabackup.cluster.restore.RestorePlans;
import io.entrabackup.cluster.restore.RestoreSettings;
import io.entrabackup.cluster.restore.SkippedItemStore;
import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.cluster.store.CassandraSettings;
import io.entrabackup.cluster.store.SchemaDefinition;
import io.entrabackup.cluster.store.SchemaGate;
import io.entrabackup.cluster.store.SchemaMigration;
import io.entrabackup.cluster.store.SchemaRefusedException;
import io.entrabackup.cluster.tenant.AdminConsent;
import io.entrabackup.cluster.tenant.DirectoryBindingBackfill;
import io.entrabackup.cluster.tenant.DirectoryBindings;
import io.entrabackup.cluster.tenant.TenantDirectory;
import io.entrabackup.cluster.tenant.TenantDirectoryProjection;
import io.entrabackup.cluster.offboarding.CassandraTenantPurge;
import io.entrabackup.cluster.offboarding.OffboardingSettings;
import io.entrabackup.cluster.tenant.TenantEntity;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.Materializer;
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

  /** Where blocking Microsoft Graph SDK calls run, never on the actors' dispatcher. */
  static final String GRAPH_DISPATCHER = "entra-backup.blocking-io-dispatcher";

  // Schema creation waits for Cassandra as long as it takes, never hammering it.
  private static final Duration SCHEMA_RETRY_MIN = Duration.ofSeconds(1);
  private static final Duration SCHEMA_RETRY_MAX = Duration.ofSeconds(30);

  /**
   * What the rest of the node (the HTTP API) may use. Available at once, so a node whose Cassandra
   * is down still serves {@code /health/ready} (answering 503) instead of failing to start.
   *
   * @param schemaReady completes when our tables exist and the read-side projections run
   */
  public record Started(
      TenantDirectory tenantDirectory,
      JobStore jobs,
      SnapshotStore snapshots,
      AccountStore accounts,
      AdminConsent adminConsent,
      DirectoryBindings directoryBindings,
      NodeHealth health,
      CompletionStage<Done> schemaReady,
      RestorePlans restorePlans,
      RestoreJobs restoreJobs,
      SkippedItemStore skippedItems,
      Downloads downloads,
      FourEyes fourEyes) {}

  /** Four-eyes: accounts' settings, the rule that makes a job wait, and the approvals System Status shows. */
  public record FourEyes(AccountSettingsStore settings, FourEyesRules rules, JobApprovals approvals,
      RestoreApprovalRows restoreRows) {}

  private ClusterApp() {}

  public static Started init(ActorSystem<?> system, Clock clock) {
    CassandraSettings cassandra = CassandraSettings.create(system);
    CassandraSession session =
        CassandraSessionRegistry.get(system)
            .sessionFor(CassandraSessionSettings.create(CassandraSettings.SESSION_CONFIG_PATH));

    AuthSettings auth = AuthSettings.create(system.settings().config());
    Executor blockingIo = system.dispatchers().lookup(DispatcherSelector.fromConfig(GRAPH_DISPATCHER));
    GraphAccess graph = new GraphAccess(GraphSettings.create(system.settings().config()), blockingIo);
    // Metrics (cluster/METRICS.md): the Graph layer's answers, the driver's request timer, the shards run here.
    NodeMetrics.get(system).attach(session, graph.http());
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-graph-access",
        () -> {
          graph.close();
          return CompletableFuture.completedFuture(Done.getInstance());
        });

    BackupSettings backup = BackupSettings.create(system.settings().config());
    // The keyring first: with encryption on and no master key configured, the node stops here, saying what to set.
    SnapshotStore snapshots = new SnapshotStore(session, cassandra.keyspace(), backup.writeParallelism(),
        io.entrabackup.cluster.crypto.TenantKeyring.get(system));
    JobStore jobs = new JobStore(session, cassandra.keyspace());
    var reader = new RoundReader(graph, ReadSettings.create(system.settings().config()));
    RestorePlans restorePlans = new RestorePlans(graph, RestoreSettings.create(system.settings().config()),
        snapshots, Materializer.matFromSystem(system));
    SkippedItemStore skippedItems = new SkippedItemStore(session, cassandra.keyspace());
    RestoreJobs restoreJobs = new RestoreJobs(session, cassandra.keyspace());
    var backupSlots = system.systemActorOf(BackupSlots.create(backup.maxConcurrentPerNode(), clock), "backup-slots",
        Props.empty());
    TenantEntity.init(system, new TenantEntity.Collaborators(clock, new QueuedBackupRunner(backupSlots,
        new GraphBackupRunner(system, reader, snapshots, jobs, clock, backup.writeParallelism())),
        new GraphRestoreRunner(system, restorePlans, skippedItems), new CassandraTenantPurge(system, session,
        cassandra.keyspace(), OffboardingSettings.create(system.settings().config()))));
    TenantDirectory directory = new TenantDirectory(session, cassandra.keyspace());
    AccountStore accounts = new AccountStore(session, cassandra.keyspace(), clock, auth);
    SigningKeys signingKeys = signingKeys(auth);
    var directoryBindings = new DirectoryBindings(session, cassandra.keyspace(), clock);
    var adminConsent = new AdminConsent(system, graph, signingKeys, clock, auth.consentValidity(), directoryBindings,
        directory);
    Downloads downloads = initDownloads(system, session, cassandra, snapshots, signingKeys, clock);
    var accountSettings = new AccountSettingsStore(session, cassandra.keyspace(), clock);
    var fourEyes = new FourEyes(accountSettings, new FourEyesRules(accountSettings, restorePlans),
        new JobApprovals(session, cassandra.keyspace()), new RestoreApprovalRows(session, cassandra.keyspace()));

    CompletionStage<Done> schemaReady =
        schemaThenJoin(system, session, cassandra)
            .thenCompose(done -> registerBootstrapKey(accounts, auth))
            .thenApply(
                done -> {
                  TenantDirectoryProjection.init(system, directory);
                  JobDirectoryProjection.init(system, jobs, Optional.of(restoreJobs));
                  // Tenants authorized before directory bindings existed get theirs, or are stopped as disputed.
                  new DirectoryBindingBackfill(system, session, cassandra.keyspace(), directoryBindings, clock).start();
                  log.info("Node {} runs its read-side projections", Cluster.get(system).selfMember().address());
                  return done;
                });
    return new Started(directory, jobs, snapshots, accounts, adminConsent, directoryBindings,
        new NodeHealth(system, session, cassandra.healthTimeout(), schemaReady), schemaReady, restorePlans, restoreJobs,
        skippedItems, downloads, fourEyes);
  }

  private static Downloads initDownloads(ActorSystem<?> system, CassandraSession session, CassandraSettings cassandra,
      SnapshotStore snapshots, SigningKeys signingKeys, Clock clock) {
    DownloadSettings settings = DownloadSettings.create(system.settings().config());
    DownloadStore store = new DownloadStore(session, cassandra.keyspace());
    var slots = new DownloadBuildSlots(settings.maxBuildsPerNode(), settings.maxBuildsPerAccount());
    NodeMetrics.get(system).jobsWaiting("download", slots::waiting);
    DownloadJobRows rows = new DownloadJobRows(session, cassandra.keyspace(), slots);
    DownloadJobEntity.init(system, new DownloadJobEntity.Collaborators(
        new DownloadBuilder(system, snapshots, store, rows, settings, slots, clock), store, rows, settings, clock));
    return new Downloads(system, store, new DownloadLinks(signingKeys), settings, clock);
  }

  private static CompletionStage<Done> registerBootstrapKey(AccountStore accounts, AuthSettings auth) {
    // Also with no key configured: then the one configured before is revoked.
    return accounts.ensureBootstrap(auth.bootstrapAccount(), auth.bootstrapAccountName(), auth.bootstrapKey())
        .thenApply(registered -> Done.getInstance());
  }

  private static SigningKeys signingKeys(AuthSettings auth) {
    if (auth.signingKeys().isPresent()) {
      return auth.signingKeys().get();
    }
    log.warn("entra-backup.auth.signing-key(s) not set: consent and download links made by this node work only here"
        + " and until it restarts. Set the same keys on every node.");
    return SigningKeys.random();
  }

  /**
   * The node joins the cluster (and so gets shards) and starts projections only once every table it needs exists and
   * the Cassandra nodes agree on the schema; it creates the schema only if it is the one process allowed to (see
   * {@link JoinAfterSchema}), else it waits for it.
   */
  private static CompletionStage<Done> schemaThenJoin(
      ActorSystem<?> system, CassandraSession session, CassandraSettings cassandra) {
    SchemaDefinition schema = SchemaDefinition.of(system, cassandra);
    Optional<String> madeElsewhere = cassandra.createSchema()
        ? JoinAfterSchema.schemaMadeElsewhere(system)
        : Optional.of("deploy/schema (create-schema = off here)");
    CompletionStage<Done> created = madeElsewhere.isPresent()
        ? CompletableFuture.completedFuture(Done.getInstance())
        : createSchema(system, session, schema);
    return created
        .thenCompose(done -> new SchemaGate(system, session, schema, madeElsewhere.orElse("this node")).awaitReady())
        .thenApply(done -> {
          JoinAfterSchema.join(system);
          return done;
        })
        .whenComplete((done, error) -> SchemaRefusedException.in(error).ifPresent(refused -> {
          // Waiting cannot fix it (a newer keyspace, a changed migration): the node does not start.
          log.error("This node does not start on Cassandra keyspace {}: {}", cassandra.keyspace(),
              refused.getMessage());
          system.terminate();
        }));
  }

  private static CompletionStage<Done> createSchema(
      ActorSystem<?> system, CassandraSession session, SchemaDefinition schema) {
    // A refusal is the attempt's answer, not a failure to retry.
    return Patterns.retry(
        () -> SchemaMigration.run(system, session, schema)
            .handle((report, error) -> error == null ? Optional.<SchemaRefusedException>empty()
                : SchemaRefusedException.in(error).map(Optional::of).orElseThrow(() -> new CompletionException(error)))
            .whenComplete((refused, error) -> {
              if (error != null) {
                log.warn("Cassandra schema not created yet, retrying: {}", error.getMessage());
              }
            }),
        Integer.MAX_VALUE,
        SCHEMA_RETRY_MIN,
        SCHEMA_RETRY_MAX,
        0.2,
        system)
        .thenCompose(refused -> refused.isPresent() ? CompletableFuture.<Done>failedFuture(refused.get())
            : CompletableFuture.completedFuture(Done.getInstance()));
  }
}
