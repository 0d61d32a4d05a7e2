package io.entrabackup.cluster.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The keyspace's own record of its schema: {@code schema_versions} (one row per migration applied) and
 * {@code schema_lock} (one row while a process migrates). Not migrations themselves: they are what migrations are
 * recorded in, made before any runs.
 *
 * <p>The lock is a lightweight-transaction row with a TTL ({@link #LOCK_TTL}), renewed while its holder works: a second
 * migrator (two {@code deploy/schema} at once, or one beside a development node with {@code create-schema = on}) waits
 * for it instead of creating the same table at the same moment, and a holder that died frees it by the TTL.
 */
final class SchemaVersions {

  static final String TABLE = "schema_versions";
  static final String LOCK_TABLE = "schema_lock";
  /** A lock row outlives its holder by at most this; the holder renews it every third of it. */
  static final Duration LOCK_TTL = Duration.ofSeconds(90);
  private static final String LOCK = "migrations";

  private SchemaVersions() {}

  /** The two tables, idempotent. */
  static List<String> createStatements(String keyspace) {
    return List.of(
        "CREATE TABLE IF NOT EXISTS " + keyspace + "." + TABLE + " (version int PRIMARY KEY, description text,"
            + " checksum text, applied_at timestamp, applied_by text, took_ms bigint, how text)",
        "CREATE TABLE IF NOT EXISTS " + keyspace + "." + LOCK_TABLE + " (name text PRIMARY KEY, owner text,"
            + " since timestamp)");
  }

  /** The migrations applied to {@code keyspace}, by version; empty when it has no version table. */
  static CompletionStage<List<AppliedMigration>> read(CqlSession cql, String keyspace) {
    return cql.executeAsync(SimpleStatement.newInstance(
            "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?", keyspace, TABLE))
        .thenCompose(found -> found.one() == null
            ? CompletableFuture.completedFuture(List.<AppliedMigration>of())
            : cql.executeAsync(SimpleStatement.newInstance("SELECT version, description, checksum, applied_at,"
                    + " applied_by, took_ms, how FROM " + keyspace + "." + TABLE))
                .thenCompose(page -> collect(page, new ArrayList<>()))
                .thenApply(rows -> rows.stream().sorted(Comparator.comparingInt(AppliedMigration::version)).toList()));
  }

  private static CompletionStage<List<AppliedMigration>> collect(AsyncResultSet page, List<AppliedMigration> into) {
    for (Row row : page.currentPage()) {
      into.add(new AppliedMigration(row.getInt("version"), row.getString("description"), row.getString("checksum"),
          row.getInstant("applied_at"), row.getString("applied_by"), Duration.ofMillis(row.getLong("took_ms")),
          row.getString("how")));
    }
    return page.hasMorePages() ? page.fetchNextPage().thenCompose(next -> collect(next, into))
        : CompletableFuture.completedFuture(into);
  }

  static CompletionStage<Void> record(CqlSession cql, String keyspace, AppliedMigration applied) {
    return cql.executeAsync(SimpleStatement.newInstance("INSERT INTO " + keyspace + "." + TABLE + " (version,"
                + " description, checksum, applied_at, applied_by, took_ms, how) VALUES (?, ?, ?, ?, ?, ?, ?)",
            applied.version(), applied.description(), applied.checksum(), applied.appliedAt(), applied.appliedBy(),
            applied.took().toMillis(), applied.how()))
        .thenApply(rows -> null);
  }

  /** Takes the lock for {@code owner} if nobody holds it; answers the holder otherwise. */
  static CompletionStage<Optional<String>> tryLock(CqlSession cql, String keyspace, String owner, Instant since) {
    return cql.executeAsync(SimpleStatement.newInstance("INSERT INTO " + keyspace + "." + LOCK_TABLE
                + " (name, owner, since) VALUES (?, ?, ?) IF NOT EXISTS USING TTL " + LOCK_TTL.toSeconds(),
            LOCK, owner, since))
        .thenApply(result -> {
          if (result.wasApplied()) {
            return Optional.<String>empty();
          }
          Row row = result.one();
          return row == null ? Optional.<String>empty()
              : Optional.of(row.getString("owner") + " since " + row.getInstant("since"));
        });
  }

  /** Keeps the lock for another {@link #LOCK_TTL}; false when {@code owner} no longer holds it. */
  static CompletionStage<Boolean> renew(CqlSession cql, String keyspace, String owner, Instant since) {
    return cql.executeAsync(SimpleStatement.newInstance("UPDATE " + keyspace + "." + LOCK_TABLE + " USING TTL "
            + LOCK_TTL.toSeconds() + " SET owner = ?, since = ? WHERE name = ? IF owner = ?", owner, since, LOCK, owner))
        .thenApply(AsyncResultSet::wasApplied);
  }

  static CompletionStage<Void> unlock(CqlSession cql, String keyspace, String owner) {
    return cql.executeAsync(SimpleStatement.newInstance("DELETE FROM " + keyspace + "." + LOCK_TABLE
            + " WHERE name = ? IF owner = ?", LOCK, owner))
        .thenApply(rows -> null);
  }
}
