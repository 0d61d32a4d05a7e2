package io.entrabackup.cluster.store;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The layout check against the real local Cassandra: a keyspace of an older snapshot layout is refused, clearly. */
class CassandraSchemaTest {

  @RegisterExtension
  static final TestKeyspace cassandra = TestKeyspace.empty("schema");
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Test
  void refusesRunChangesNotClusteredByOutcome() {
    await(cassandra.session().executeDDL("CREATE TABLE "
        + cassandra.keyspace() + ".snapshot_versions (tenant_id text, object_type text,"
        + " object_id text, version_id timeuuid, state_deflated blob,"
        + " PRIMARY KEY ((tenant_id, object_type, object_id), version_id))"));
    await(cassandra.session().executeDDL("CREATE TABLE "
        + cassandra.keyspace() + ".snapshot_run_changes (tenant_id text, run_id text,"
        + " object_type text, object_id text, version_id timeuuid, outcome text,"
        + " PRIMARY KEY ((tenant_id, run_id), object_type, object_id, version_id))"));

    try {
      CassandraSchema.requireCurrentSnapshotFormat(cassandra.session(), cassandra.keyspace()).toCompletableFuture()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      fail("a keyspace of the older layout was accepted");
    } catch (ExecutionException e) {
      String message = e.getCause().getMessage();
      assertTrue(message.contains("run changes not clustered by outcome") && message.contains("drop the keyspace"),
          message);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static <T> T await(CompletionStage<T> stage) {
    return LocalCassandra.await(stage, TIMEOUT);
  }
}
