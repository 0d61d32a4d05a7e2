package io.entrabackup.cluster.job;

import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrabackup.cluster.backup.BackupProgress;
import io.entrabackup.cluster.backup.BackupRunSpec;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.JobPage;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.backup.JobView;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.tenant.TenantEvents.BackupCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.BackupFailed;
import io.entrabackup.protocol.tenant.TenantEvents.BackupStarted;
import io.entrabackup.protocol.tenant.TenantEvents.TypeBackedUp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * The System Status read model, {@code jobs_by_account}: job rows written from tenant events (by the
 * projection) and progress written by running jobs, read by the jobs API without asking any entity.
 */
public final class JobStore implements BackupProgress {

  public static final String BACKUP = "backup";
  /** The kinds of job, in the order a lookup by id tries them. */
  public static final List<String> KINDS = List.of(BACKUP, "download", "restore");

  private static final ObjectMapper json = new ObjectMapper();
  private static final String COLUMNS = "job_id, kind, tenant_id, state, trigger, queued_at, started_at, finished_at,"
      + " progress, counts_by_type, counts, graph, error";

  private final CassandraSession session;
  private final PreparedStatementCache insertStarted;
  private final PreparedStatementCache updateProgress;
  private final PreparedStatementCache updateTypeDone;
  private final PreparedStatementCache updateCompleted;
  private final PreparedStatementCache updateFailed;
  private final PreparedStatementCache selectFirst;
  private final PreparedStatementCache selectAfter;
  private final PreparedStatementCache selectOne;

  public JobStore(CassandraSession session, String keyspace) {
    this.session = session;
    String table = keyspace + ".jobs_by_account";
    String key = " WHERE account_id = ? AND kind = ? AND job_id = ?";
    insertStarted = prepare("INSERT INTO " + table + " (account_id, kind, job_id, tenant_id, state, trigger, queued_at,"
        + " started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    updateProgress = prepare("UPDATE " + table + " SET progress[?] = ?" + key);
    updateTypeDone = prepare("UPDATE " + table + " SET progress[?] = ?, counts_by_type[?] = ?" + key);
    updateCompleted = prepare("UPDATE " + table + " SET state = ?, finished_at = ?, counts = ?, graph = ?" + key);
    updateFailed = prepare("UPDATE " + table + " SET state = ?, finished_at = ?, error = ?" + key);
    String select = "SELECT " + COLUMNS + " FROM " + table + " WHERE account_id = ? AND kind = ?";
    selectFirst = prepare(select + " LIMIT ?");
    selectAfter = prepare(select + " AND job_id < ? LIMIT ?");
    selectOne = prepare(select + " AND job_id = ?");
  }

  private PreparedStatementCache prepare(String cql) {
    return new PreparedStatementCache(session, cql);
  }

  CompletionStage<Done> record(BackupStarted event) {
    return write(insertStarted, event.account().value(), BACKUP, UUID.fromString(event.runId()),
        event.tenantId().value(), JobState.RUNNING.name(), event.trigger().name(), event.startedAt(), event.startedAt());
  }

  CompletionStage<Done> record(TypeBackedUp event) {
    return write(updateTypeDone, event.type().apiName(), event.counts().seen(), event.type().apiName(),
        toJson(event.counts()), event.account().value(), BACKUP, UUID.fromString(event.runId()));
  }

  CompletionStage<Done> record(BackupCompleted event) {
    return write(updateCompleted, JobState.COMPLETED.name(), event.finishedAt(), toJson(event.counts()),
        toJson(event.graph()), event.account().value(), BACKUP, UUID.fromString(event.runId()));
  }

  CompletionStage<Done> record(BackupFailed event) {
    return write(updateFailed, JobState.FAILED.name(), event.finishedAt(), event.error(), event.account().value(),
        BACKUP, UUID.fromString(event.runId()));
  }

  /** Best effort: progress is a courtesy to whoever watches; a lost update is corrected by the next. */
  @Override
  public void seen(BackupRunSpec spec, ObjectType type, long seen) {
    write(updateProgress, type.apiName(), seen, spec.account().value(), BACKUP, UUID.fromString(spec.runId()));
  }

  public CompletionStage<JobPage> list(AccountId account, String kind, Optional<String> afterJobId, int limit) {
    int fetch = limit + 1;
    CompletionStage<List<Row>> rows = afterJobId.isPresent()
        ? selectAfter.get().thenCompose(s -> session.selectAll(s.bind(account.value(), kind,
            UUID.fromString(afterJobId.get()), fetch)))
        : selectFirst.get().thenCompose(s -> session.selectAll(s.bind(account.value(), kind, fetch)));
    return rows.thenApply(found -> {
      List<JobView> jobs = found.stream().limit(limit).map(JobStore::view).toList();
      String next = found.size() > limit ? jobs.get(jobs.size() - 1).id() : null;
      return new JobPage(jobs, next);
    });
  }

  /** The account's job with this id, of whatever kind. */
  public CompletionStage<Optional<JobView>> get(AccountId account, String jobId) {
    UUID id = UUID.fromString(jobId);
    CompletionStage<Optional<JobView>> result = CompletableFuture.completedFuture(Optional.empty());
    for (String kind : KINDS) {
      result = result.thenCompose(found -> found.isPresent()
          ? CompletableFuture.completedFuture(found)
          : selectOne.get().thenCompose(s -> session.selectOne(s.bind(account.value(), kind, id)))
              .thenApply(row -> row.map(JobStore::view)));
    }
    return result;
  }

  private CompletionStage<Done> write(PreparedStatementCache statement, Object... values) {
    return statement.get().thenCompose(prepared -> session.executeWrite(prepared.bind(values)));
  }

  private static JobView view(Row row) {
    Optional<Instant> started = Optional.ofNullable(row.getInstant("started_at"));
    Optional<Instant> finished = Optional.ofNullable(row.getInstant("finished_at"));
    Map<String, TypeCounts> byType = new HashMap<>();
    row.getMap("counts_by_type", String.class, String.class)
        .forEach((type, counts) -> byType.put(type, fromJson(counts, TypeCounts.class).orElse(TypeCounts.ZERO)));
    return new JobView(
        row.getUuid("job_id").toString(),
        row.getString("kind"),
        Optional.ofNullable(row.getString("tenant_id")).orElse(""),
        // Progress may land before the projection writes the job's start: then it is running.
        Optional.ofNullable(row.getString("state")).map(JobState::valueOf).orElse(JobState.RUNNING),
        Optional.ofNullable(row.getString("trigger")).map(BackupTrigger::valueOf),
        Optional.ofNullable(row.getInstant("queued_at")).orElse(Instant.EPOCH),
        started,
        finished,
        Map.copyOf(row.getMap("progress", String.class, Long.class)),
        Map.copyOf(byType),
        fromJson(row.getString("counts"), TypeCounts.class)
            .orElseGet(() -> byType.values().stream().reduce(TypeCounts.ZERO, TypeCounts::plus)),
        fromJson(row.getString("graph"), GraphTraffic.class).orElse(GraphTraffic.NONE),
        finished.flatMap(end -> started.map(start -> Duration.between(start, end).toMillis())),
        Optional.ofNullable(row.getString("error")));
  }

  static String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("job counts could not be written as JSON", e);
    }
  }

  private static <T> Optional<T> fromJson(String text, Class<T> type) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(json.readValue(text, type));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
