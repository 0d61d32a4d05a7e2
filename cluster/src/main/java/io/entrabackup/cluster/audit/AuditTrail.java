package io.entrabackup.cluster.audit;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.protocol.audit.AuditAction;
import io.entrabackup.protocol.audit.AuditEntry;
import io.entrabackup.protocol.audit.AuditOutcome;
import io.entrabackup.protocol.audit.NewAuditRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The append-only, hash-chained audit trail of every account in Cassandra ({@code cql/audit.cql}).
 *
 * <p>Appends hold across nodes because a record is written with {@code INSERT ... IF NOT EXISTS} at the sequence
 * number after the head: of two nodes appending at once, one wins the number and the other retries after the winner.
 * The record row, not the head, is the point of serialisation, so no crash can leave the head ahead of the records:
 * the head row is moved forward (itself with a compare-and-set) only after its record exists, and an appender that
 * finds the next number taken moves a lagging head forward on behalf of the writer that stopped before doing so.
 */
public final class AuditTrail {

  /** Sequence numbers per partition (see audit.cql). */
  static final long BUCKET_SIZE = 10_000;
  /** Attempts at one append before giving up; each lost attempt means another record was appended meanwhile. */
  private static final int APPEND_ATTEMPTS = 30;
  /** Upper bound of the random pause before retrying a lost append, times the attempt number. */
  private static final long RETRY_PAUSE_MILLIS = 10;

  private final Supplier<CompletionStage<CqlSession>> session;
  private final String keyspace;
  private final Map<String, CompletionStage<PreparedStatement>> prepared = new ConcurrentHashMap<>();
  /** Per trail, the end of this node's last append to it (while one is in flight). */
  private final ConcurrentHashMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

  /** {@code session} as the node's Cassandra session gives it ({@code CassandraSession::underlying}). */
  public AuditTrail(Supplier<CompletionStage<CqlSession>> session, String keyspace) {
    this.session = session;
    this.keyspace = keyspace;
  }

  /** A page of an account's trail, newest first. */
  public record Page(List<AuditEntry> entries, Optional<Long> next) {}

  /**
   * Appends the record to its trail; completes with it sealed (sequence number and hash). Appends to one trail from
   * this node run one after the other, so they never contend with each other: only appends from other nodes at the
   * same moment make one retry.
   */
  public CompletionStage<AuditEntry> append(NewAuditRecord draft) {
    CompletableFuture<AuditEntry> appended = new CompletableFuture<>();
    CompletableFuture<Void> mine = tails.compute(draft.trail(), (trail, tail) ->
        (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail)
            .thenCompose(previous -> attempt(draft, 1))
            .whenComplete((entry, error) -> {
              if (error != null) {
                appended.completeExceptionally(error);
              } else {
                appended.complete(entry);
              }
            })
            // The next append waits for this one to end, however it ended.
            .handle((entry, error) -> (Void) null)
            .toCompletableFuture());
    // Outside compute(): removing from within it, should the append have ended already, is not allowed.
    mine.whenComplete((done, error) -> tails.remove(draft.trail(), mine));
    return appended;
  }

  private CompletionStage<AuditEntry> attempt(NewAuditRecord draft, int attempt) {
    return head(draft.trail(), true).thenCompose(head -> {
      long previous = head.map(ChainWalk.Head::sequence).orElse(0L);
      AuditEntry entry = AuditChain.seal(draft, previous + 1,
          head.map(ChainWalk.Head::hash).orElse(AuditChain.GENESIS));
      return insert(entry).thenCompose(result -> {
        if (result.wasApplied()) {
          return advanceHead(entry.account(), head, entry.sequence(), entry.hash()).thenApply(done -> entry);
        }
        // The number is taken: its writer may have stopped before moving the head, so move it for them.
        Row taken = result.one();
        String takenHash = taken == null ? null : taken.getString("hash");
        CompletionStage<Void> helped = takenHash == null
            ? CompletableFuture.completedFuture(null)
            : advanceHead(entry.account(), head, entry.sequence(), takenHash);
        if (attempt >= APPEND_ATTEMPTS) {
          return helped.thenApply(done -> {
            throw new IllegalStateException("audit record of account " + draft.trail() + " not appended after "
                + APPEND_ATTEMPTS + " attempts: too many appends at once");
          });
        }
        long pause = ThreadLocalRandom.current().nextLong(RETRY_PAUSE_MILLIS * attempt + 1);
        return helped.thenComposeAsync(done -> attempt(draft, attempt + 1),
            CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS));
      });
    });
  }

  private CompletionStage<AsyncResultSet> insert(AuditEntry entry) {
    return execute("INSERT INTO %s.audit_records (account_id, bucket, sequence, at, key_id, source, user_agent, action,"
            + " target, outcome, status, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " IF NOT EXISTS",
        entry.account(), bucket(entry.sequence()), entry.sequence(), entry.at(), entry.keyId().orElse(null),
        entry.source().orElse(null), entry.userAgent().orElse(null), entry.action().apiName(), entry.target(),
        entry.outcome().apiName(), entry.status(), entry.previousHash(), entry.hash());
  }

  private CompletionStage<Void> advanceHead(String account, Optional<ChainWalk.Head> from, long sequence, String hash) {
    CompletionStage<AsyncResultSet> moved = from.isEmpty()
        ? execute("INSERT INTO %s.audit_heads (account_id, sequence, hash) VALUES (?, ?, ?) IF NOT EXISTS",
            account, sequence, hash)
        : execute("UPDATE %s.audit_heads SET sequence = ?, hash = ? WHERE account_id = ? IF sequence = ?",
            sequence, hash, account, from.get().sequence());
    // Not applied: another appender moved it already.
    return moved.thenApply(result -> null);
  }

  /** Where the account's trail ends; {@code serial} reads past any compare-and-set in flight (for appends). */
  CompletionStage<Optional<ChainWalk.Head>> head(String account, boolean serial) {
    return statement("SELECT sequence, hash FROM %s.audit_heads WHERE account_id = ?").thenCompose(prepared -> {
      BoundStatement bound = prepared.bind(account);
      if (serial) {
        bound = bound.setConsistencyLevel(ConsistencyLevel.SERIAL);
      }
      return run(bound);
    }).thenApply(result -> Optional.ofNullable(result.one())
        .map(row -> new ChainWalk.Head(row.getLong("sequence"), row.getString("hash"))));
  }

  /**
   * Up to {@code limit} records of the account matching {@code filter}, newest first, below sequence {@code before}
   * (the whole trail when empty). Looks at {@code scanBudget} records at most, so a filter that matches rarely
   * answers a short page with a {@code next} rather than reading the whole trail at once.
   */
  public CompletionStage<Page> page(String account, Optional<Long> before, Predicate<AuditEntry> filter, int limit,
      int scanBudget) {
    CompletionStage<Long> start = before.isPresent()
        ? CompletableFuture.completedFuture(before.get())
        : head(account, false).thenApply(head -> head.map(h -> h.sequence() + 1).orElse(1L));
    return start.thenCompose(below -> scan(account, below, filter, limit, scanBudget, new ArrayList<>()));
  }

  private CompletionStage<Page> scan(String account, long below, Predicate<AuditEntry> filter, int limit,
      int budget, List<AuditEntry> found) {
    if (below <= 1) {
      return CompletableFuture.completedFuture(new Page(found, Optional.empty()));
    }
    long bucket = bucket(below - 1);
    int fetch = Math.min(budget, (int) Math.min(Integer.MAX_VALUE, below - bucket * BUCKET_SIZE));
    return execute("SELECT * FROM %s.audit_records WHERE account_id = ? AND bucket = ? AND sequence < ? LIMIT ?",
        account, bucket, below, fetch).thenCompose(result -> {
          long lowest = below;
          int scanned = 0;
          for (Row row : result.currentPage()) {
            scanned++;
            lowest = row.getLong("sequence");
            Optional<AuditEntry> entry = readable(row);
            if (entry.isPresent() && filter.test(entry.get())) {
              found.add(entry.get());
              if (found.size() == limit) {
                return done(found, lowest);
              }
            }
          }
          long next = scanned < fetch ? bucket * BUCKET_SIZE : lowest;
          int left = budget - scanned;
          if (left <= 0) {
            return done(found, next);
          }
          return scan(account, next, filter, limit, left, found);
        });
  }

  private static CompletionStage<Page> done(List<AuditEntry> found, long lowest) {
    return CompletableFuture.completedFuture(new Page(found, lowest > 1 ? Optional.of(lowest) : Optional.empty()));
  }

  /** Checks the account's whole chain, from its first record, and reports the first break. */
  public CompletionStage<io.entrabackup.protocol.audit.ChainCheck> verify(String account) {
    return head(account, false).thenCompose(head -> {
      var walk = new ChainWalk(account, head);
      long lastBucket = head.map(h -> bucket(h.sequence())).orElse(0L);
      return walkBuckets(account, 0, lastBucket, walk).thenApply(done -> walk.result());
    });
  }

  private CompletionStage<Void> walkBuckets(String account, long bucket, long lastBucket, ChainWalk walk) {
    return execute("SELECT * FROM %s.audit_records WHERE account_id = ? AND bucket = ? ORDER BY sequence ASC",
        account, bucket).thenCompose(result -> walkPages(result, walk)).thenCompose(rows -> {
          // Beyond the head's bucket only while records go on (a head that lags or is gone).
          if (walk.broken() || (bucket >= lastBucket && rows == 0)) {
            return CompletableFuture.completedFuture(null);
          }
          return walkBuckets(account, bucket + 1, lastBucket, walk);
        });
  }

  private CompletionStage<Long> walkPages(AsyncResultSet result, ChainWalk walk) {
    long rows = 0;
    for (Row row : result.currentPage()) {
      rows++;
      try {
        walk.accept(entry(row));
      } catch (IllegalArgumentException e) {
        walk.unreadable(row.getLong("sequence"), e.getMessage());
      }
    }
    long counted = rows;
    if (result.hasMorePages() && !walk.broken()) {
      return result.fetchNextPage().thenCompose(next -> walkPages(next, walk)).thenApply(more -> counted + more);
    }
    return CompletableFuture.completedFuture(counted);
  }

  /** Every account that has a trail (its head, or records without one), for verifying them all. */
  public CompletionStage<List<String>> accounts() {
    var names = new java.util.TreeSet<String>();
    return execute("SELECT account_id FROM %s.audit_heads").thenCompose(heads -> collect(heads, "account_id", names))
        .thenCompose(done -> execute("SELECT DISTINCT account_id, bucket FROM %s.audit_records"))
        .thenCompose(records -> collect(records, "account_id", names))
        .thenApply(done -> List.copyOf(names));
  }

  private static CompletionStage<Void> collect(AsyncResultSet result, String column, java.util.Set<String> into) {
    result.currentPage().forEach(row -> into.add(row.getString(column)));
    return result.hasMorePages()
        ? result.fetchNextPage().thenCompose(next -> collect(next, column, into))
        : CompletableFuture.completedFuture(null);
  }

  /** True the first time the key is seen from {@code address}, across all nodes. */
  public CompletionStage<Boolean> firstUseFrom(String account, String keyId, String address, Instant at) {
    return execute("INSERT INTO %s.audit_key_addresses (account_id, key_id, address, first_seen) VALUES (?, ?, ?, ?)"
        + " IF NOT EXISTS", account, keyId, address, at).thenApply(AsyncResultSet::wasApplied);
  }

  private static Optional<AuditEntry> readable(Row row) {
    try {
      return Optional.of(entry(row));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static AuditEntry entry(Row row) {
    String action = row.getString("action");
    String outcome = row.getString("outcome");
    Map<String, String> target = row.getMap("target", String.class, String.class);
    Instant at = row.getInstant("at");
    if (at == null) {
      throw new IllegalArgumentException("no time");
    }
    return new AuditEntry(row.getString("account_id"), row.getLong("sequence"), at,
        Optional.ofNullable(row.getString("key_id")), Optional.ofNullable(row.getString("source")),
        Optional.ofNullable(row.getString("user_agent")),
        AuditAction.fromApiName(action == null ? "" : action)
            .orElseThrow(() -> new IllegalArgumentException("unknown action '" + action + "'")),
        target == null ? Map.of() : target,
        parseOutcome(outcome), row.getInt("status"),
        String.valueOf(row.getString("previous_hash")), String.valueOf(row.getString("hash")));
  }

  private static AuditOutcome parseOutcome(String outcome) {
    try {
      return AuditOutcome.fromApiName(outcome == null ? "" : outcome);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown outcome '" + outcome + "'");
    }
  }

  static long bucket(long sequence) {
    return sequence / BUCKET_SIZE;
  }

  private CompletionStage<AsyncResultSet> execute(String cql, Object... values) {
    return statement(cql).thenCompose(prepared -> run(prepared.bind(values)));
  }

  private CompletionStage<AsyncResultSet> run(BoundStatement statement) {
    return session.get().thenCompose(cql -> cql.executeAsync(statement));
  }

  private CompletionStage<PreparedStatement> statement(String cql) {
    String text = cql.replace("%s", keyspace);
    CompletionStage<PreparedStatement> stage = prepared.computeIfAbsent(text,
        key -> session.get().thenCompose(cqlSession -> cqlSession.prepareAsync(key)));
    // A failed preparation (Cassandra down) is tried again on the next use.
    stage.whenComplete((statement, error) -> {
      if (error != null) {
        prepared.remove(text, stage);
      }
    });
    return stage;
  }
}
