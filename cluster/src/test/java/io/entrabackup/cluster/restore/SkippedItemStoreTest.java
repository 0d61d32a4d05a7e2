package io.entrabackup.cluster.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.entrabackup.cluster.store.LocalCassandra;
import io.entrabackup.cluster.store.TestKeyspace;
import io.entrabackup.protocol.restore.SkipReason;
import io.entrabackup.protocol.restore.SkippedItem;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Skipped items keep their reason codes in Cassandra: rows written before SkipReason read the same. */
class SkippedItemStoreTest {

  @RegisterExtension
  static final TestKeyspace cassandra = TestKeyspace.empty("skipped");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static SkippedItemStore store;

  @BeforeAll
  static void createTable() {
    // Only the one table (as in cql/read-model.cql): the whole schema is not needed here.
    await(cassandra.session().executeDDL("CREATE TABLE IF NOT EXISTS "
        + cassandra.keyspace() + ".restore_skipped_items (job_id timeuuid,"
        + " seq int, object_type text, object_id text, item text, reason text, message text, graph_code text,"
        + " PRIMARY KEY ((job_id), seq))"));
    store = new SkippedItemStore(cassandra.session(), cassandra.keyspace());
  }

  private static <T> T await(CompletionStage<T> stage) {
    return LocalCassandra.await(stage, TIMEOUT);
  }

  @Test
  void aRowWrittenWithTheOldReasonStringReadsAsItsReason() {
    UUID job = Uuids.timeBased();
    await(cassandra.session().executeWrite("INSERT INTO "
        + cassandra.keyspace() + ".restore_skipped_items (job_id, seq, object_type,"
        + " object_id, item, reason, message) VALUES (?, 0, 'groups', 'g1', 'members/u9', 'member_no_longer_exists',"
        + " 'gone')", job));

    assertEquals(List.of(new SkippedItem("groups", "g1", "members/u9", SkipReason.MEMBER_GONE, "gone",
        Optional.empty())), await(store.list(job.toString())));
  }

  @Test
  void everyReasonIsStoredAsItsCodeAndReadBack() {
    String job = Uuids.timeBased().toString();
    List<SkippedItem> items = List.of(SkipReason.values()).stream()
        .map(reason -> new SkippedItem("users", "u1", "item-" + reason.ordinal(), reason, "why",
            Optional.of("Request_BadRequest")))
        .toList();
    await(store.replace(job, items));

    assertEquals(items, await(store.list(job)));
    List<String> codes = await(cassandra.session().selectAll("SELECT reason FROM "
        + cassandra.keyspace() + ".restore_skipped_items"
        + " WHERE job_id = ?", UUID.fromString(job))).stream().map(row -> row.getString("reason")).toList();
    assertEquals(List.of(SkipReason.values()).stream().map(SkipReason::code).toList(), codes);
  }
}
