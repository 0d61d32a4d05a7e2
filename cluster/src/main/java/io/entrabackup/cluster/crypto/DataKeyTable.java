package io.entrabackup.cluster.crypto;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code tenant_data_keys} table ({@code cql/keys.cql}): each tenant's data keys, wrapped, one row per version,
 * and a static mark once they were destroyed.
 */
public final class DataKeyTable {

  /** One stored data key; {@code wrapped} is null once destroyed. */
  public record StoredKey(String tenantId, int version, WrappedKey wrapped) {}

  /** A tenant's rows: its keys and whether they were destroyed. */
  public record TenantKeys(List<StoredKey> keys, boolean destroyed) {}

  private static final int SCAN_PAGE_SIZE = 500;

  private final Supplier<CompletionStage<CqlSession>> session;
  private final String table;
  private final Map<String, CompletionStage<PreparedStatement>> prepared = new ConcurrentHashMap<>();

  public DataKeyTable(Supplier<CompletionStage<CqlSession>> session, String keyspace) {
    this.session = session;
    this.table = keyspace + ".tenant_data_keys";
  }

  public CompletionStage<TenantKeys> read(String tenantId) {
    return execute("SELECT key_version, wrapped_key, master_key_id, destroyed_at FROM " + table
        + " WHERE tenant_id = ?", tenantId)
        .thenCompose(rows -> collect(rows, new ArrayList<>(), false, tenantId));
  }

  private CompletionStage<TenantKeys> collect(AsyncResultSet rows, List<StoredKey> keys, boolean destroyed,
      String tenantId) {
    boolean gone = destroyed;
    for (Row row : rows.currentPage()) {
      gone |= !row.isNull("destroyed_at");
      if (!row.isNull("key_version")) {
        keys.add(stored(tenantId, row));
      }
    }
    if (rows.hasMorePages()) {
      boolean soFar = gone;
      return rows.fetchNextPage().thenCompose(next -> collect(next, keys, soFar, tenantId));
    }
    return CompletableFuture.completedFuture(new TenantKeys(List.copyOf(keys), gone));
  }

  /** Stores a new data key unless that version exists (a lightweight transaction); answers whether it was stored. */
  public CompletionStage<Boolean> insertIfAbsent(String tenantId, int version, WrappedKey wrapped, Instant now) {
    return execute("INSERT INTO " + table + " (tenant_id, key_version, wrapped_key, master_key_id, created_at)"
            + " VALUES (?, ?, ?, ?, ?) IF NOT EXISTS",
        tenantId, version, ByteBuffer.wrap(wrapped.bytes()), wrapped.masterKeyId(), now)
        .thenApply(AsyncResultSet::wasApplied);
  }

  /**
   * Replaces a key's wrapping if it is still wrapped under {@code expectedMasterKeyId} (a lightweight transaction: a
   * key destroyed in the meantime is not brought back); answers whether it was replaced.
   */
  public CompletionStage<Boolean> rewrap(StoredKey key, WrappedKey rewrapped, Instant now) {
    return execute("UPDATE " + table + " SET wrapped_key = ?, master_key_id = ?, rewrapped_at = ?"
            + " WHERE tenant_id = ? AND key_version = ? IF master_key_id = ?",
        ByteBuffer.wrap(rewrapped.bytes()), rewrapped.masterKeyId(), now, key.tenantId(), key.version(),
        key.wrapped().masterKeyId())
        .thenApply(AsyncResultSet::wasApplied);
  }

  /** Marks the tenant's keys destroyed and deletes their wrapped material, in one logged batch (one partition). */
  public CompletionStage<Void> destroy(String tenantId, Instant now) {
    CompletionStage<PreparedStatement> mark = prepare("UPDATE " + table + " SET destroyed_at = ? WHERE tenant_id = ?");
    CompletionStage<PreparedStatement> erase = prepare("DELETE wrapped_key, master_key_id FROM " + table
        + " WHERE tenant_id = ? AND key_version = ?");
    return read(tenantId).thenCompose(keys -> mark.thenCompose(markStatement -> erase.thenCompose(eraseStatement -> {
      BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.LOGGED)
          .addStatement(markStatement.bind(now, tenantId));
      keys.keys().forEach(key -> batch.addStatement(eraseStatement.bind(tenantId, key.version())));
      return session.get().thenCompose(cql -> cql.executeAsync(batch.build()));
    }))).thenApply(done -> null);
  }

  /** Every stored key of every tenant, in pages, each handed to {@code visit} in turn (the next after it completes). */
  public CompletionStage<Void> forEachKey(Function<StoredKey, CompletionStage<Void>> visit) {
    return prepare("SELECT tenant_id, key_version, wrapped_key, master_key_id FROM " + table)
        .thenCompose(statement -> session.get().thenCompose(cql ->
            cql.executeAsync(statement.bind().setPageSize(SCAN_PAGE_SIZE))))
        .thenCompose(rows -> visitPage(rows, visit));
  }

  private CompletionStage<Void> visitPage(AsyncResultSet rows, Function<StoredKey, CompletionStage<Void>> visit) {
    CompletionStage<Void> done = CompletableFuture.completedFuture(null);
    for (Row row : rows.currentPage()) {
      if (!row.isNull("key_version")) {
        StoredKey key = stored(row.getString("tenant_id"), row);
        done = done.thenCompose(previous -> visit.apply(key));
      }
    }
    return rows.hasMorePages()
        ? done.thenCompose(page -> rows.fetchNextPage()).thenCompose(next -> visitPage(next, visit))
        : done;
  }

  private static StoredKey stored(String tenantId, Row row) {
    ByteBuffer bytes = row.getByteBuffer("wrapped_key");
    WrappedKey wrapped = null;
    if (bytes != null && !row.isNull("master_key_id")) {
      byte[] copy = new byte[bytes.remaining()];
      bytes.duplicate().get(copy);
      wrapped = new WrappedKey(row.getString("master_key_id"), copy);
    }
    return new StoredKey(tenantId, row.getInt("key_version"), wrapped);
  }

  private CompletionStage<AsyncResultSet> execute(String cql, Object... values) {
    return prepare(cql).thenCompose(statement ->
        session.get().thenCompose(s -> s.executeAsync(statement.bind(values))));
  }

  private CompletionStage<PreparedStatement> prepare(String cql) {
    CompletionStage<PreparedStatement> statement = prepared.computeIfAbsent(cql, text ->
        session.get().thenCompose(s -> s.prepareAsync(text)));
    if (statement.toCompletableFuture().isCompletedExceptionally()) {
      // Prepared again after a failure (Cassandra was down): the next call retries.
      prepared.remove(cql, statement);
    }
    return statement;
  }
}
