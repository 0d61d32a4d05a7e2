package io.entrabackup.cluster.snapshot;

import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.crypto.TenantCipher;
import io.entrabackup.cluster.snapshot.internal.CqlRunner;
import io.entrabackup.cluster.snapshot.internal.NameKeys;
import io.entrabackup.cluster.snapshot.internal.ObjectCursor;
import io.entrabackup.cluster.snapshot.internal.ObjectCursor.Position;
import io.entrabackup.cluster.snapshot.internal.SealedColumns;
import io.entrabackup.cluster.snapshot.internal.SearchTokens;
import io.entrabackup.cluster.snapshot.internal.SnapshotStatements;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Pages of the objects of a type, names sealed (cluster/ENCRYPTION.md). Without a search, the type's list rows in
 * object id order: Cassandra cannot order sealed names, and an order-revealing key would tell anyone reading the table
 * how the names sort. A search reads the blind index ({@link SearchTokens}) of the query's first characters, in object
 * id order too, then the objects' list rows, and keeps those whose decrypted display name (or, for users, UPN) starts
 * with the query. The cursor holds the last object id a page covered.
 */
final class ObjectListing {

  /** The cursor's position in a search's token rows ('n' is the list's). */
  private static final String SEARCH = "s";
  /** Token rows read at once by a search (each then one list row, read by id in the same partition). */
  private static final int SEARCH_BATCH = 100;
  /**
   * Token rows one page of a search reads at most: a long query whose first characters are common ("john...") checks
   * each name, and a page must not read a whole large tenant; it then ends early, with a cursor.
   */
  private static final int MAX_SCANNED = 2000;

  private final SnapshotStatements statements;
  private final CqlRunner runner;

  ObjectListing(SnapshotStatements statements, CqlRunner runner) {
    this.statements = statements;
    this.runner = runner;
  }

  /** The page; a bad limit or a cursor not made for this list fails at once (UnknownCursor), before any read. */
  CompletionStage<ObjectPage> page(TenantId tenant, ObjectType type, Optional<String> search, Optional<String> cursor,
      int limit, CompletionStage<TenantCipher> cipher) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    // A cursor names the list it was made for: one carried to another tenant or type is refused (UnknownCursor).
    String scope = tenant.value() + "/" + type.apiName();
    Map<String, Position> positions = ObjectCursor.decode(scope, cursor);
    Optional<String> query = search.map(String::strip).filter(text -> !text.isEmpty()).map(NameKeys::sortKey);
    if (query.isEmpty()) {
      Optional<Position> after = Optional.ofNullable(positions.get(NameKeys.BY_NAME));
      return cipher.thenCompose(keys -> listed(keys, tenant, type, after, limit, scope));
    }
    Optional<String> after = Optional.ofNullable(positions.get(SEARCH)).map(Position::objectId);
    return cipher.thenCompose(keys -> {
      List<ObjectSummary> found = new ArrayList<>();
      return scan(keys, tenant, type, SearchTokens.ofQuery(keys, query.get()), query.get(), after, limit, found, 0)
          .thenApply(resume -> new ObjectPage(List.copyOf(found),
              resume.map(id -> ObjectCursor.encode(scope, Map.of(SEARCH, new Position(NameKeys.LIST_KEY, id))))));
    });
  }

  private CompletionStage<ObjectPage> listed(TenantCipher cipher, TenantId tenant, ObjectType type,
      Optional<Position> after, int limit, String scope) {
    CompletionStage<List<Row>> rows = after.isPresent()
        ? runner.all(statements.selectObjectsAfter, row -> row, tenant.value(), type.apiName(), NameKeys.BY_NAME,
            after.get().sortKey(), after.get().objectId(), limit + 1)
        : runner.all(statements.selectObjects, row -> row, tenant.value(), type.apiName(), NameKeys.BY_NAME, limit + 1);
    return rows.thenApply(read -> {
      List<ObjectSummary> items = read.stream().limit(limit).map(row -> summary(cipher, type, row)).toList();
      Optional<String> next = read.size() > limit
          ? Optional.of(ObjectCursor.encode(scope, Map.of(NameKeys.BY_NAME,
              new Position(NameKeys.LIST_KEY, items.get(items.size() - 1).id()))))
          : Optional.empty();
      return new ObjectPage(items, next);
    });
  }

  /**
   * Reads the token's rows after {@code after}, a batch at a time, adding the matching objects to {@code found}; answers
   * where the next page starts, or empty when the token's rows ended before a match past the limit.
   */
  private CompletionStage<Optional<String>> scan(TenantCipher cipher, TenantId tenant, ObjectType type, String token,
      String query, Optional<String> after, int limit, List<ObjectSummary> found, int scanned) {
    CompletionStage<List<String>> ids = after.isPresent()
        ? runner.all(statements.selectSearchAfter, row -> row.getString(0), tenant.value(), type.apiName(),
            SearchTokens.bucketOf(token), token, after.get(), SEARCH_BATCH)
        : runner.all(statements.selectSearch, row -> row.getString(0), tenant.value(), type.apiName(),
            SearchTokens.bucketOf(token), token, SEARCH_BATCH);
    return ids.thenCompose(batch -> batch.isEmpty() ? CompletableFuture.completedFuture(Optional.<String>empty())
        : rowsById(tenant, type, batch).thenCompose(rows -> {
          for (String id : batch) {
            Row row = rows.get(id);
            if (row == null) {
              continue; // a token row whose list row is not written yet (a torn batch): it comes with the next version
            }
            Optional<ObjectSummary> match = matching(cipher, type, row, query);
            if (match.isPresent()) {
              if (found.size() == limit) {
                return CompletableFuture.completedFuture(Optional.of(found.get(limit - 1).id()));
              }
              found.add(match.get());
            }
          }
          String last = batch.get(batch.size() - 1);
          if (batch.size() < SEARCH_BATCH) {
            return CompletableFuture.completedFuture(Optional.<String>empty());
          }
          if (scanned + batch.size() >= MAX_SCANNED) {
            return CompletableFuture.completedFuture(Optional.of(last));
          }
          return scan(cipher, tenant, type, token, query, Optional.of(last), limit, found, scanned + batch.size());
        }));
  }

  private CompletionStage<Map<String, Row>> rowsById(TenantId tenant, ObjectType type, List<String> ids) {
    return runner.all(statements.selectObjectsById, row -> row, tenant.value(), type.apiName(), NameKeys.BY_NAME,
        NameKeys.LIST_KEY, ids).thenApply(rows -> {
          Map<String, Row> byId = new HashMap<>();
          rows.forEach(row -> byId.put(row.getString("object_id"), row));
          return byId;
        });
  }

  /** The object's summary if its display name or (users) UPN starts with the query; checked on the opened names. */
  private static Optional<ObjectSummary> matching(TenantCipher cipher, ObjectType type, Row row, String query) {
    ObjectSummary summary = summary(cipher, type, row);
    if (NameKeys.sortKey(summary.displayName()).startsWith(query)) {
      return Optional.of(summary);
    }
    String upn = SealedColumns.openListText(cipher, "upn", row.getString("upn"), type, summary.id(),
        summary.versionId());
    return upn != null && NameKeys.sortKey(upn).startsWith(query) ? Optional.of(summary) : Optional.empty();
  }

  static ObjectSummary summary(TenantCipher cipher, ObjectType type, Row row) {
    String id = row.getString("object_id");
    String versionId = row.getUuid("version_id").toString();
    return new ObjectSummary(id, SealedColumns.openDisplayName(cipher, row.getString("display_name"), type, id,
        versionId), versionId, row.getInstant("captured_at"), !row.isNull("removed"),
        Optional.ofNullable(SealedColumns.openListText(cipher, "detail", row.getString("detail"), type, id,
            versionId)));
  }
}
