package io.entrabackup.cluster.offboarding;

import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.crypto.TenantKeyring;
import io.entrabackup.cluster.snapshot.SnapshotPartitions;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.ObjectType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import com.typesafe.config.ConfigValueFactory;
import org.apache.pekko.persistence.cassandra.cleanup.Cleanup;
import org.apache.pekko.persistence.cassandra.cleanup.CleanupSettings;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import scala.jdk.javaapi.FutureConverters;

/**
 * The purge of one tenant in Cassandra, in the order that keeps it resumable: the data key first, then each table's
 * rows found from what indexes them, each index deleted only after what it points to (so a purge run again after a
 * crash finds what is left), and the tenant's job list last. Every statement is a delete by key: repeating one is
 * harmless. Which tables, and what stays by design: cluster/OFFBOARDING.md.
 */
public final class CassandraTenantPurge implements TenantPurge {

  /** The download job entity's persistence ids are its type key's name and the job id. */
  private static final String DOWNLOAD_JOB_ENTITY = "DownloadJob|";

  private final CassandraSession session;
  private final String ks;
  private final TenantKeyring keyring;
  private final ActorSystem<?> system;
  /** Made on first use (see {@link #journal()}); only tenant entities purge, and they run after the schema gate. */
  private volatile Cleanup journal;
  private final Materializer materializer;
  private final int parallelism;

  public CassandraTenantPurge(ActorSystem<?> system, CassandraSession session, String keyspace,
      OffboardingSettings settings) {
    this.session = session;
    this.ks = keyspace;
    this.keyring = TenantKeyring.get(system);
    this.system = system;
    this.materializer = Materializer.matFromSystem(system);
    this.parallelism = settings.parallelism();
  }

  /**
   * The plugin's cleanup tool, made on first use and not with the node: its constructor starts the Cassandra journal
   * (Persistence.journalFor), whose start makes the events-by-tag read journal the projections use, and that read
   * journal prepares its tag-view scanner statement once, as it is made, and keeps a failure for good. Made before the
   * schema gate (ClusterApp) on a keyspace or tag_views table not made yet, every projection then failed with "keyspace
   * ... does not exist" or "table tag_views does not exist" for the life of the node (node SchemaOnceIT).
   */
  private Cleanup journal() {
    Cleanup made = journal;
    if (made == null) {
      synchronized (this) {
        made = journal;
        if (made == null) {
          // The plugin's cleanup tool only logs what it would do unless told otherwise (its dry-run is on by default).
          made = new Cleanup(system, new CleanupSettings(system.settings().config()
              .getConfig("pekko.persistence.cassandra.cleanup")
              .withValue("dry-run", ConfigValueFactory.fromAnyRef(false))));
          journal = made;
        }
      }
    }
    return made;
  }

  /** One of the tenant's jobs, as System Status lists it. */
  private record Job(String kind, UUID jobId) {}

  @Override
  public CompletionStage<Done> purge(Target target) {
    String tenant = target.tenantId().value();
    return keyring.destroy(tenant)
        .thenCompose(done -> jobsOf(target))
        .thenCompose(jobs -> runChanges(tenant, jobs)
            .thenCompose(done -> snapshots(tenant))
            .thenCompose(done -> inTurn(jobs, this::jobRows))
            .thenCompose(done -> tenantRows(target))
            .thenCompose(done -> each(jobs, job -> delete("jobs_by_account", "account_id = ? AND kind = ? AND job_id = ?",
                target.account().value(), job.kind(), job.jobId()))))
        .thenCompose(done -> toJava(journal().deleteAllTaggedEvents(target.persistenceId())))
        .thenCompose(done -> toJava(journal().deleteAllSnapshots(target.persistenceId())));
  }

  @Override
  public CompletionStage<Done> clearEvents(String persistenceId, long toSequenceNr) {
    return toSequenceNr < 1 ? done() : toJava(journal().deleteEventsTo(persistenceId, toSequenceNr));
  }

  /** The tenant's jobs of every kind: its account's System Status rows that name it. */
  private CompletionStage<List<Job>> jobsOf(Target target) {
    List<CompletionStage<List<Job>>> perKind = new ArrayList<>();
    for (JobKind kind : JobKind.values()) {
      perKind.add(session.selectAll("SELECT job_id, tenant_id FROM " + ks + ".jobs_by_account WHERE account_id = ?"
              + " AND kind = ?", target.account().value(), kind.apiName())
          .thenApply(rows -> rows.stream().filter(row -> target.tenantId().value().equals(row.getString("tenant_id")))
              .map(row -> new Job(kind.apiName(), row.getUuid("job_id"))).toList()));
    }
    CompletionStage<List<Job>> all = CompletableFuture.completedFuture(List.of());
    for (CompletionStage<List<Job>> kind : perKind) {
      all = all.thenCombine(kind, (left, right) -> {
        List<Job> jobs = new ArrayList<>(left);
        jobs.addAll(right);
        return List.copyOf(jobs);
      });
    }
    return all;
  }

  /** What each backup run stored (its id is its job's): gone before the versions that might name more runs. */
  private CompletionStage<Done> runChanges(String tenant, List<Job> jobs) {
    return each(jobs.stream().filter(job -> job.kind().equals(JobKind.BACKUP.apiName())).toList(),
        job -> delete("snapshot_run_changes", "tenant_id = ? AND run_id = ?", tenant, job.jobId().toString()));
  }

  /** Per type: each object's versions, chunks and run changes (from the latest buckets), then the indexes. */
  private CompletionStage<Done> snapshots(String tenant) {
    // Buckets and the objects in each run `parallelism` at a time: at most its square of deletes in flight.
    return inTurn(List.of(ObjectType.values()), type -> each(
        IntStream.range(0, SnapshotPartitions.LATEST_BUCKETS).boxed().toList(), bucket -> latestBucket(tenant, type, bucket))
        .thenCompose(done -> each(SnapshotPartitions.NAME_KINDS, kind -> delete("snapshot_objects",
            "tenant_id = ? AND object_type = ? AND name_kind = ?", tenant, type.apiName(), kind)))
        .thenCompose(done -> each(IntStream.range(0, SnapshotPartitions.SEARCH_BUCKETS).boxed().toList(),
            bucket -> delete("snapshot_search", "tenant_id = ? AND object_type = ? AND bucket = ?", tenant,
                type.apiName(), bucket)))
        .thenCompose(done -> delete("snapshot_count_marks", "tenant_id = ? AND object_type = ?", tenant,
            type.apiName())))
        .thenCompose(done -> delete("snapshot_live_counts", "tenant_id = ?", tenant));
  }

  private CompletionStage<Done> latestBucket(String tenant, ObjectType type, int bucket) {
    return session.selectAll("SELECT object_id FROM " + ks + ".snapshot_latest WHERE tenant_id = ? AND object_type = ?"
            + " AND bucket = ?", tenant, type.apiName(), bucket)
        .thenCompose(rows -> each(rows.stream().map(row -> row.getString("object_id")).toList(),
            objectId -> object(tenant, type, objectId)))
        .thenCompose(done -> delete("snapshot_latest", "tenant_id = ? AND object_type = ? AND bucket = ?", tenant,
            type.apiName(), bucket));
  }

  /** One object's versions and chunks, and the run changes of any run its versions name (runs without a job row). */
  private CompletionStage<Done> object(String tenant, ObjectType type, String objectId) {
    return session.selectAll("SELECT run_id FROM " + ks + ".snapshot_versions WHERE tenant_id = ? AND object_type = ?"
            + " AND object_id = ?", tenant, type.apiName(), objectId)
        .thenCompose(rows -> each(rows.stream().map(row -> row.getString("run_id")).distinct().toList(),
            runId -> delete("snapshot_run_changes", "tenant_id = ? AND run_id = ?", tenant, runId)))
        .thenCompose(done -> delete("snapshot_reference_chunks", "tenant_id = ? AND object_type = ? AND object_id = ?",
            tenant, type.apiName(), objectId))
        .thenCompose(done -> delete("snapshot_versions", "tenant_id = ? AND object_type = ? AND object_id = ?",
            tenant, type.apiName(), objectId));
  }

  /** What one job left besides its System Status row: restore details, approvals, a download's file and journal. */
  private CompletionStage<Done> jobRows(Job job) {
    UUID id = job.jobId();
    return downloadChunks(id)
        .thenCompose(done -> each(List.of("download_files", "download_jobs", "download_audit", "restore_jobs",
            "restore_skipped_items", "restore_writes", "job_approvals"), table -> delete(table, "job_id = ?", id)))
        .thenCompose(done -> job.kind().equals(JobKind.DOWNLOAD.apiName())
            ? toJava(journal().deleteAll(DOWNLOAD_JOB_ENTITY + id, false))
            : done());
  }

  /** A published file's chunks, of its build and every build before it (a rebuild leaves the older ones to expire). */
  private CompletionStage<Done> downloadChunks(UUID jobId) {
    return session.selectOne("SELECT build, chunks FROM " + ks + ".download_files WHERE job_id = ?", jobId)
        .thenCompose(found -> {
          if (found.isEmpty()) {
            return done();
          }
          Row row = found.get();
          List<long[]> chunks = new ArrayList<>();
          for (int build = 0; build <= row.getInt("build"); build++) {
            for (long chunk = 0; chunk < row.getLong("chunks"); chunk++) {
              chunks.add(new long[] {build, chunk});
            }
          }
          return each(chunks, chunk -> delete("download_chunks", "job_id = ? AND build = ? AND chunk_no = ?", jobId,
              (int) chunk[0], chunk[1]));
        });
  }

  /** The dashboard row, the tenant slot and the directory binding (so the directory can be registered again). */
  private CompletionStage<Done> tenantRows(Target target) {
    String account = target.account().value();
    String tenant = target.tenantId().value();
    CompletionStage<Done> binding = target.entraTenantId()
        .map(entra -> session.executeWrite("DELETE FROM " + ks + ".directory_bindings WHERE entra_tenant_id = ?"
            + " IF tenant_id = ?", entra.strip().toLowerCase(Locale.ROOT), tenant))
        .orElseGet(CassandraTenantPurge::done);
    return binding
        .thenCompose(done -> session.selectAll("SELECT slot, tenant_id FROM " + ks + ".tenant_slots WHERE account_id = ?",
            account))
        .thenCompose(slots -> each(slots.stream().filter(row -> tenant.equals(row.getString("tenant_id")))
            .map(row -> row.getInt("slot")).toList(),
            slot -> session.executeWrite("DELETE FROM " + ks + ".tenant_slots WHERE account_id = ? AND slot = ?"
                + " IF tenant_id = ?", account, slot, tenant)))
        // Retention's own rows of the tenant: its override of the account's setting and its pass (RETENTION.md).
        .thenCompose(done -> delete("retention_policies", "bucket = 0 AND account_id = ? AND tenant_id = ?", account,
            tenant))
        .thenCompose(done -> delete("retention_passes", "tenant_id = ?", tenant))
        .thenCompose(done -> delete("tenants_by_account", "account_id = ? AND tenant_id = ?", account, tenant));
  }

  private CompletionStage<Done> delete(String table, String where, Object... key) {
    return session.executeWrite("DELETE FROM " + ks + "." + table + " WHERE " + where, key);
  }

  /** Runs {@code step} for every item, {@code parallelism} at a time; done when all are. */
  private <T> CompletionStage<Done> each(List<T> items, Function<T, CompletionStage<Done>> step) {
    if (items.isEmpty()) {
      return done();
    }
    return Source.from(items).mapAsyncUnordered(parallelism, step::apply).runWith(Sink.ignore(), materializer);
  }

  /** Runs {@code step} for one item after the other (outer loops, whose steps run many deletes at once). */
  private <T> CompletionStage<Done> inTurn(List<T> items, Function<T, CompletionStage<Done>> step) {
    return Source.from(items).mapAsync(1, step::apply).runWith(Sink.ignore(), materializer);
  }

  private static CompletionStage<Done> toJava(scala.concurrent.Future<Done> future) {
    return FutureConverters.asJava(future);
  }

  private static CompletionStage<Done> done() {
    return CompletableFuture.completedFuture(Done.getInstance());
  }
}
