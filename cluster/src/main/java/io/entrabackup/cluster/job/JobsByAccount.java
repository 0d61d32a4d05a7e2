package io.entrabackup.cluster.job;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.JobFilter;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobPage;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.backup.JobView;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * The System Status table {@code jobs_by_account}: every statement on it, for every kind of job, and how a row reads
 * as a {@link JobView}. One partition per account and kind, newest job first. Each write is an idempotent upsert of
 * the columns it names; a value left empty leaves its column as it is (bound as unset), so the writers of one row
 * (the projection, the API node answering, a running job's progress) never erase each other's columns.
 *
 * <p>Writes land in any order (progress before the projection's insert, a repeat of a job's start after its end), so
 * two rules hold whatever the order: a row shows only once its insert is there ({@link #isComplete}): an update alone
 * makes a row Cassandra keeps but we never show (it had shown as an empty tenant queued at 1970, running for good);
 * and the end of a job is its own column, {@code outcome}, written only by {@link #ended}, which no later write of an
 * earlier state can overwrite.
 */
public final class JobsByAccount {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS = "job_id, kind, tenant_id, state, outcome, trigger, queued_at, started_at,"
      + " finished_at, progress, counts_by_type, counts, graph, error, types, request_id";
  private static final String KEY = " WHERE account_id = ? AND kind = ? AND job_id = ?";

  /**
   * Rows a filtered page reads at most (filters on tenant or state are applied to the rows read: the partition is
   * ordered by time only). A page that runs out of budget is short but carries a cursor, so the list goes on.
   */
  static final int FILTER_SCAN_BUDGET = 500;

  /**
   * How a job ended, as its row shows it.
   *
   * @param error why it failed, for the operator
   * @param counts its final {@link TypeCounts}, as JSON (backups)
   * @param graph its {@link GraphTraffic}, as JSON
   * @param progress progress entries to set with the ending (downloads: the final object counts)
   */
  public record Ending(JobState state, Instant finishedAt, Optional<String> error, Optional<String> counts,
      Optional<String> graph, Map<String, Long> progress) {

    public static Ending of(JobState state, Instant finishedAt) {
      return new Ending(state, finishedAt, Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
    }

    public Ending withError(String error) {
      return new Ending(state, finishedAt, Optional.ofNullable(error), counts, graph, progress);
    }

    public Ending withCounts(TypeCounts counts) {
      return new Ending(state, finishedAt, error, Optional.of(toJson(counts)), graph, progress);
    }

    public Ending withGraph(GraphTraffic traffic) {
      return new Ending(state, finishedAt, error, counts, Optional.of(toJson(traffic)), progress);
    }

    public Ending withProgress(Map<String, Long> entries) {
      return new Ending(state, finishedAt, error, counts, graph, Map.copyOf(entries));
    }
  }

  private final CassandraSession session;
  private final PreparedStatementCache insert;
  private final PreparedStatementCache insertAnnounced;
  private final PreparedStatementCache updateStarted;
  private final PreparedStatementCache updateState;
  private final PreparedStatementCache updateProgress;
  private final PreparedStatementCache updateTypeDone;
  private final PreparedStatementCache updateEnded;
  private final PreparedStatementCache updateTypes;
  private final PreparedStatementCache updateRequestId;
  private final PreparedStatementCache selectFrom;
  private final PreparedStatementCache selectBetween;
  private final PreparedStatementCache selectOne;

  public JobsByAccount(CassandraSession session, String keyspace) {
    this.session = session;
    String table = keyspace + ".jobs_by_account";
    insert = prepare("INSERT INTO " + table + " (account_id, kind, job_id, tenant_id, state, trigger, queued_at,"
        + " started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    insertAnnounced = prepare("INSERT INTO " + table + " (account_id, kind, job_id, tenant_id, state, trigger,"
        + " queued_at) VALUES (?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?");
    updateStarted = prepare("UPDATE " + table + " SET state = ?, started_at = ?" + KEY);
    updateState = prepare("UPDATE " + table + " SET state = ?" + KEY);
    updateProgress = prepare("UPDATE " + table + " SET progress = progress + ?" + KEY);
    updateTypeDone = prepare("UPDATE " + table + " SET progress[?] = ?, counts_by_type[?] = ?" + KEY);
    updateEnded = prepare("UPDATE " + table + " SET state = ?, outcome = ?, finished_at = ?, error = ?, counts = ?,"
        + " graph = ?, progress = progress + ?" + KEY);
    String select = "SELECT " + COLUMNS + " FROM " + table + " WHERE account_id = ? AND kind = ?";
    updateTypes = prepare("UPDATE " + table + " SET types = ?" + KEY);
    updateRequestId = prepare("UPDATE " + table + " SET request_id = ?" + KEY);
    selectFrom = prepare(select + " AND job_id >= ? LIMIT ?");
    selectBetween = prepare(select + " AND job_id >= ? AND job_id < ? LIMIT ?");
    selectOne = prepare(select + " AND job_id = ?");
  }

  private PreparedStatementCache prepare(String cql) {
    return new PreparedStatementCache(session, cql);
  }

  /** The job's row as it is queued or starts; {@code startedAt} is empty for a queued job. */
  public CompletionStage<Done> insert(JobKind kind, AccountId account, String jobId, String tenantId, JobState state,
      Optional<BackupTrigger> trigger, Instant queuedAt, Optional<Instant> startedAt) {
    return write(insert, account.value(), kind.apiName(), UUID.fromString(jobId), tenantId, state.name(),
        trigger.map(BackupTrigger::name), queuedAt, startedAt);
  }

  /**
   * The job's row as the API node that started it knows it (queued: it has no slot yet), written before it answers so
   * the operator's next list shows the job: its time is the job id's (a time-based UUID made as the job was). Written as of that time too, so
   * every other write of the row, made later, wins over it whatever order they land in: the projection's insert
   * then shows the event's exact times, and the job's end stays its end.
   */
  public CompletionStage<Done> announced(JobKind kind, AccountId account, String jobId, String tenantId,
      JobState state, Optional<BackupTrigger> trigger) {
    UUID id = UUID.fromString(jobId);
    Instant createdAt = Instant.ofEpochMilli(Uuids.unixTimestamp(id));
    return write(insertAnnounced, account.value(), kind.apiName(), id, tenantId, state.name(),
        trigger.map(BackupTrigger::name), createdAt, Math.multiplyExact(createdAt.toEpochMilli(), 1000L));
  }

  /** The request that started the job (shown as {@code requestId}). */
  public CompletionStage<Done> requestId(JobKind kind, AccountId account, String jobId, String requestId) {
    return write(updateRequestId, requestId, account.value(), kind.apiName(), UUID.fromString(jobId));
  }

  /** A queued job began. */
  public CompletionStage<Done> started(JobKind kind, AccountId account, String jobId, Instant startedAt) {
    return write(updateStarted, JobState.RUNNING.name(), startedAt, account.value(), kind.apiName(),
        UUID.fromString(jobId));
  }

  /** The job's state only (a four-eyes job approved into the queue). */
  public CompletionStage<Done> state(JobKind kind, AccountId account, String jobId, JobState state) {
    return write(updateState, state.name(), account.value(), kind.apiName(), UUID.fromString(jobId));
  }

  /** Sets these progress entries (others stay). */
  public CompletionStage<Done> progress(JobKind kind, AccountId account, String jobId, Map<String, Long> entries) {
    return write(updateProgress, entries, account.value(), kind.apiName(), UUID.fromString(jobId));
  }

  /** A backup finished one object type: its objects seen, and its counts. */
  public CompletionStage<Done> typeBackedUp(AccountId account, String jobId, ObjectType type, TypeCounts counts) {
    return write(updateTypeDone, type.apiName(), counts.seen(), type.apiName(), toJson(counts), account.value(),
        JobKind.BACKUP.apiName(), UUID.fromString(jobId));
  }

  /** A backup's object types, in the run's order. */
  public CompletionStage<Done> types(AccountId account, String jobId, List<ObjectType> types) {
    return write(updateTypes, types.stream().map(ObjectType::apiName).toList(), account.value(),
        JobKind.BACKUP.apiName(), UUID.fromString(jobId));
  }

  public CompletionStage<Done> ended(JobKind kind, AccountId account, String jobId, Ending ending) {
    return write(updateEnded, ending.state().name(), ending.state().name(), ending.finishedAt(), ending.error(),
        ending.counts(),
        ending.graph(), ending.progress(), account.value(), kind.apiName(), UUID.fromString(jobId));
  }

  /**
   * One page of the account's jobs of this kind, newest first, after {@code afterJobId} if given, created in the
   * filter's time range: of the next rows (up to {@code limit}, or the scan budget when the filter narrows by tenant or
   * state), those complete and matching, at most {@code limit}. The next page starts after the last row read, shown or
   * not, so a row not yet complete (or not matching) shortens a page and never ends the list early.
   */
  public CompletionStage<JobPage> page(AccountId account, JobKind kind, JobFilter filter, Optional<String> afterJobId,
      int limit) {
    int budget = filter.narrowsRows() ? Math.max(limit, FILTER_SCAN_BUDGET) : limit;
    // One row more than the budget: its presence says whether a next page exists.
    int fetch = budget + 1;
    UUID lower = Uuids.startOf(filter.from().map(Instant::toEpochMilli).orElse(0L));
    Optional<UUID> upper = upperBound(afterJobId.map(UUID::fromString), filter.toExclusive());
    CompletionStage<List<Row>> rows = upper.isPresent()
        ? selectBetween.get().thenCompose(s -> session.selectAll(s.bind(account.value(), kind.apiName(), lower,
            upper.get(), fetch)))
        : selectFrom.get().thenCompose(s -> session.selectAll(s.bind(account.value(), kind.apiName(), lower, fetch)));
    return rows.thenApply(found -> {
      List<JobView> shown = new ArrayList<>();
      int read = 0;
      while (read < found.size() && read < budget && shown.size() < limit) {
        Row row = found.get(read++);
        if (isComplete(row)) {
          JobView job = view(row);
          if (filter.matches(job)) {
            shown.add(job);
          }
        }
      }
      String next = read < found.size() ? found.get(read - 1).getUuid("job_id").toString() : null;
      return new JobPage(List.copyOf(shown), next);
    });
  }

  /** The tighter of the cursor and the end of the time range (ids compare by their time first). */
  private static Optional<UUID> upperBound(Optional<UUID> cursor, Optional<Instant> toExclusive) {
    Optional<UUID> end = toExclusive.map(to -> Uuids.startOf(to.toEpochMilli()));
    if (cursor.isEmpty()) {
      return end;
    }
    if (end.isEmpty() || cursor.get().timestamp() < end.get().timestamp()) {
      return cursor;
    }
    return end;
  }

  /** The job, once its row is complete. */
  public CompletionStage<Optional<JobView>> job(AccountId account, JobKind kind, String jobId) {
    return selectOne.get()
        .thenCompose(s -> session.selectOne(s.bind(account.value(), kind.apiName(), UUID.fromString(jobId))))
        .thenApply(row -> row.filter(JobsByAccount::isComplete).map(JobsByAccount::view));
  }

  /**
   * Whether the job's insert has landed (every kind's insert writes its tenant and queue time). Progress, a start or
   * an end written first makes a row that holds neither; it shows once the insert comes.
   */
  static boolean isComplete(Row row) {
    return row.getString("tenant_id") != null && row.getInstant("queued_at") != null && row.getString("state") != null;
  }

  /** Binds the values in order; an empty {@link Optional} leaves its column unset (not written). */
  private CompletionStage<Done> write(PreparedStatementCache statement, Object... values) {
    return statement.get().thenCompose(prepared -> {
      Object[] plain = new Object[values.length];
      for (int i = 0; i < values.length; i++) {
        plain[i] = values[i] instanceof Optional<?> optional ? optional.orElse(null) : values[i];
      }
      BoundStatement bound = prepared.bind(plain);
      for (int i = 0; i < values.length; i++) {
        if (values[i] instanceof Optional<?> optional && optional.isEmpty()) {
          bound = bound.unset(i);
        }
      }
      return session.executeWrite(bound);
    });
  }

  private static JobView view(Row row) {
    Optional<Instant> started = Optional.ofNullable(row.getInstant("started_at"));
    Optional<Instant> finished = Optional.ofNullable(row.getInstant("finished_at"));
    Map<String, TypeCounts> byType = new HashMap<>();
    JobKind kind = JobKind.fromApiName(row.getString("kind")).orElseThrow(() ->
        new IllegalStateException("jobs_by_account holds a job of unknown kind " + row.getString("kind")));
    // An ended job stays ended: a late write of an earlier state changes state, never outcome.
    JobState state = JobState.valueOf(Optional.ofNullable(row.getString("outcome"))
        .orElseGet(() -> row.getString("state")));
    Map<String, Long> progress = Map.copyOf(row.getMap("progress", String.class, Long.class));
    Optional<Long> duration = finished.flatMap(end -> started.map(start -> Duration.between(start, end).toMillis()));
    row.getMap("counts_by_type", String.class, String.class)
        .forEach((type, counts) -> byType.put(type, fromJson(counts, TypeCounts.class).orElse(TypeCounts.ZERO)));
    return new JobView(
        row.getUuid("job_id").toString(),
        kind,
        row.getString("tenant_id"),
        state,
        Optional.ofNullable(row.getString("trigger")).map(BackupTrigger::valueOf),
        row.getInstant("queued_at"),
        started,
        finished,
        progress,
        Map.copyOf(byType),
        fromJson(row.getString("counts"), TypeCounts.class)
            .orElseGet(() -> byType.values().stream().reduce(TypeCounts.ZERO, TypeCounts::plus)),
        fromJson(row.getString("graph"), GraphTraffic.class).orElse(GraphTraffic.NONE),
        duration,
        Optional.ofNullable(row.getString("error")))
        .withSummary(JobSummaries.of(kind, state, row.getList("types", String.class), progress, byType, duration))
        .withRequestId(Optional.ofNullable(row.getString("request_id")));
  }

  private static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("job counts could not be written as JSON", e);
    }
  }

  private static <T> Optional<T> fromJson(String text, Class<T> type) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(text, type));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }
}
