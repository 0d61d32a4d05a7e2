package io.entrabackup.cluster.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A keyspace holding snapshots written before encryption at rest is refused at start, saying what to do. */
class SealedSnapshotsCheckTest {

  @RegisterExtension
  static final TestKeyspace cassandra = TestKeyspace.empty("unsealed");
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Test
  void snapshotsStoredInClearAreRefused() throws Exception {
    String ks = cassandra.keyspace();
    // The current layout, as far as the check reads it.
    await(cassandra.session().executeDDL("CREATE TABLE " + ks + ".snapshot_versions (tenant_id text, object_type text,"
        + " object_id text, version_id timeuuid, state_deflated blob,"
        + " PRIMARY KEY ((tenant_id, object_type, object_id), version_id))"));
    await(cassandra.session().executeDDL("CREATE TABLE " + ks + ".snapshot_run_changes (tenant_id text, run_id text,"
        + " object_type text, outcome text, object_id text, version_id timeuuid,"
        + " PRIMARY KEY ((tenant_id, run_id), object_type, outcome, object_id, version_id))"));
    await(cassandra.session().executeDDL("CREATE TABLE " + ks + ".snapshot_latest (tenant_id text, object_type text,"
        + " bucket int, object_id text, state_crc32 int, members_inline frozen<list<text>>,"
        + " PRIMARY KEY ((tenant_id, object_type, bucket), object_id))"));
    check(); // empty: accepted
    await(cassandra.session().executeWrite("INSERT INTO " + ks + ".snapshot_latest (tenant_id, object_type, bucket,"
        + " object_id, state_crc32) VALUES ('t', 'users', 1, 'u1', 12345)"));
    ExecutionException refused = assertThrows(ExecutionException.class, this::check);
    String message = refused.getCause().getMessage();
    assertTrue(message.contains("stored in clear") && message.contains("drop the keyspace"), message);
  }

  private void check() throws Exception {
    CassandraSchema.requireCurrentSnapshotFormat(cassandra.session(), cassandra.keyspace()).toCompletableFuture()
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private static <T> T await(CompletionStage<T> stage) {
    return LocalCassandra.await(stage, TIMEOUT);
  }
}
