package io.entrabackup.cluster.snapshot;

import static com.datastax.oss.driver.api.core.type.codec.TypeCodecs.TEXT;
import static com.datastax.oss.driver.api.core.type.codec.TypeCodecs.TIMESTAMP;
import static com.datastax.oss.driver.api.core.type.codec.TypeCodecs.TIMEUUID;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.entrabackup.cluster.snapshot.internal.LatestScan;
import io.entrabackup.cluster.snapshot.internal.VersionRows;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * What history verification (io.entrabackup.cluster.history) reads of the snapshot store: a type's objects (their latest rows, paged bucket by bucket) and one
 * object's versions with only the columns their chain links commit to (never the states).
 */
public final class StoredLinks {

  /** An object as its latest row names it. */
  public record LatestHead(String objectId, Optional<String> versionId) {}

  /** One object's versions, oldest first, and its pruning horizon. */
  public record ObjectVersions(List<StoredLink> oldestFirst, Optional<Horizon> horizon) {}

  private static final int LATEST_PAGE_SIZE = 2000;
  private static final int LATEST_BUCKETS_AHEAD = 2;
  private static final int VERSION_PAGE_SIZE = 500;

  private final Supplier<CompletionStage<CqlSession>> session;
  private final String selectHeads;
  private final String selectLinks;
  private final Map<String, CompletableFuture<PreparedStatement>> prepared = new ConcurrentHashMap<>();

  public StoredLinks(Supplier<CompletionStage<CqlSession>> session, String keyspace) {
    this.session = session;
    this.selectHeads = "SELECT object_id, version_id FROM " + keyspace
        + ".snapshot_latest WHERE tenant_id = ? AND object_type = ? AND bucket = ?";
    this.selectLinks = "SELECT version_id, captured_at, content_hash, removed, members, members_count, owners,"
        + " owners_count, chain_hash, prev_version, horizon_version, horizon_chain_hash FROM " + keyspace
        + ".snapshot_versions WHERE tenant_id = ? AND object_type = ? AND object_id = ?";
  }

  /** Every object of the type ever stored (deleted ones too), each once, a page at a time. */
  public Source<LatestHead, NotUsed> objects(TenantId tenant, ObjectType type) {
    return LatestScan.of(bucket -> prepared(selectHeads).thenCompose(prepared -> execute(
            prepared.bind(tenant.value(), type.apiName(), bucket).setPageSize(LATEST_PAGE_SIZE))),
            LATEST_BUCKETS_AHEAD)
        .map(row -> new LatestHead(row.get(0, TEXT),
            Optional.ofNullable(row.get(1, TIMEUUID)).map(UUID::toString)));
  }

  /** The object's versions (its whole partition, page by page: only ids and hashes, never states). */
  public CompletionStage<ObjectVersions> versions(TenantId tenant, ObjectType type, String objectId) {
    List<StoredLink> newestFirst = new ArrayList<>();
    AtomicReference<Optional<Horizon>> horizon = new AtomicReference<>(Optional.empty());
    return prepared(selectLinks).thenCompose(prepared -> execute(
            prepared.bind(tenant.value(), type.apiName(), objectId).setPageSize(VERSION_PAGE_SIZE)))
        .thenCompose(first -> drain(first, row -> {
          if (horizon.get().isEmpty() && !row.isNull("horizon_version")) {
            horizon.set(Optional.of(new Horizon(row.get("horizon_version", TIMEUUID).toString(),
                // A pruned version written before chains has none: the version after it chained from the genesis.
                Optional.ofNullable(row.get("horizon_chain_hash", TEXT)).orElse(VersionChain.GENESIS))));
          }
          // A partition whose rows were all deleted still answers its static columns, on a row without a version.
          if (!row.isNull("version_id")) {
            newestFirst.add(link(row));
          }
        }))
        .thenApply(done -> {
          Collections.reverse(newestFirst);
          return new ObjectVersions(newestFirst, horizon.get());
        });
  }

  private static StoredLink link(Row row) {
    return new StoredLink(row.get("version_id", TIMEUUID).toString(), row.get("captured_at", TIMESTAMP),
        Optional.ofNullable(row.get("removed", TEXT)), String.valueOf(row.get("content_hash", TEXT)),
        VersionRows.chunkIdsByRelation(row), VersionRows.link(row));
  }

  private CompletionStage<Void> drain(AsyncResultSet page, Consumer<Row> each) {
    page.currentPage().forEach(each);
    return page.hasMorePages()
        ? page.fetchNextPage().thenCompose(next -> drain(next, each))
        : CompletableFuture.completedFuture(null);
  }

  /**
   * Prepared on first use, not when made: a node makes this before its schema is in place (the chain columns come with
   * it), and a failed preparation is tried again next time rather than kept.
   */
  private CompletionStage<PreparedStatement> prepared(String cql) {
    return prepared.compute(cql, (text, current) -> current != null && !current.isCompletedExceptionally()
        ? current
        : session.get().thenCompose(session -> session.prepareAsync(text)).toCompletableFuture());
  }

  private CompletionStage<AsyncResultSet> execute(Statement<?> statement) {
    return session.get().thenCompose(cql -> cql.executeAsync(statement));
  }
}
