package io.entrabackup.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The driver alone writing the rows a full backup wrote: reads back every row of the node's snapshot
 * tables for the tenant, then inserts the same rows into a throwaway keyspace with the same tables,
 * statement for statement as the store does (chunks, then one unlogged batch per version: version,
 * its latest row, name index entries, run change; empty columns unset), async, with a bound on statements in flight. It
 * neither reads nor hashes nor waits for chunks before their version: the driver's best case.
 */
final class RawInsertBaseline {

  /**
   * What the baseline measured.
   *
   * @param insertCpu CPU seconds per process over the insert alone (see {@link CpuMeter#stop})
   * @param cassandra what Cassandra did over the insert (see {@link CassandraActivity#stop})
   */
  record Result(long objects, long rows, long statements, double seconds, Map<String, Double> insertCpu,
      String cassandra) {
    double objectsPerSecond() {
      return objects / seconds;
    }

    double rowsPerSecond() {
      return rows / seconds;
    }
  }

  /** @param bucket the object's snapshot_latest bucket (its latest row is the version row's values there) */
  private record Version(Row row, int bucket, List<Row> names, List<Row> chunks, Row runChange) {}

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private RawInsertBaseline() {}

  /** @param cpu and {@code activity} measure the insert alone (not the read-back before it nor the keyspace's creation) */
  static Result run(CqlSession session, String sourceKeyspace, String tenantId, String runId, int parallelism,
      CpuMeter cpu, CassandraActivity activity) throws Exception {
    List<Version> versions = load(session, sourceKeyspace, tenantId, runId);
    String keyspace = "bench_raw_" + Long.toHexString(System.nanoTime());
    session.execute(SimpleStatement.newInstance("CREATE KEYSPACE " + keyspace
        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").setTimeout(TIMEOUT));
    try {
      for (String ddl : snapshotTables(keyspace)) {
        session.execute(SimpleStatement.newInstance(ddl).setTimeout(TIMEOUT));
      }
      return insert(session, keyspace, versions, parallelism, cpu, activity);
    } finally {
      session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace).setTimeout(TIMEOUT));
    }
  }

  private static List<Version> load(CqlSession session, String ks, String tenantId, String runId) {
    Map<String, List<Row>> names = new HashMap<>();
    for (Row row : scan(session, "SELECT * FROM " + ks + ".snapshot_objects")) {
      if (row.getString("tenant_id").equals(tenantId)) {
        names.computeIfAbsent(row.getString("object_id"), id -> new ArrayList<>()).add(row);
      }
    }
    Map<String, List<Row>> chunks = new HashMap<>();
    for (Row row : scan(session, "SELECT * FROM " + ks + ".snapshot_reference_chunks")) {
      if (row.getString("tenant_id").equals(tenantId)) {
        chunks.computeIfAbsent(row.getString("object_id"), id -> new ArrayList<>()).add(row);
      }
    }
    Map<String, Integer> buckets = new HashMap<>();
    for (Row row : scan(session, "SELECT tenant_id, object_type, bucket, object_id FROM " + ks + ".snapshot_latest")) {
      if (row.getString("tenant_id").equals(tenantId)) {
        buckets.put(row.getString("object_type") + "/" + row.getString("object_id"), row.getInt("bucket"));
      }
    }
    Map<String, Row> runChanges = new HashMap<>();
    for (Row row : session.execute(SimpleStatement.newInstance("SELECT * FROM " + ks
        + ".snapshot_run_changes WHERE tenant_id = ? AND run_id = ?", tenantId, runId).setTimeout(TIMEOUT))) {
      runChanges.put(row.getString("object_id"), row);
    }
    List<Version> versions = new ArrayList<>();
    for (Row row : scan(session, "SELECT * FROM " + ks + ".snapshot_versions")) {
      String id = row.getString("object_id");
      if (row.getString("tenant_id").equals(tenantId) && runId.equals(row.getString("run_id"))) {
        // The store wrote a latest row with every version, even one a later version has replaced since.
        Integer bucket = buckets.get(row.getString("object_type") + "/" + id);
        if (bucket == null) {
          throw new IllegalStateException("no latest row for " + id + ": the keyspace predates snapshot_latest");
        }
        versions.add(new Version(row, bucket, names.getOrDefault(id, List.of()), chunks.getOrDefault(id, List.of()),
            runChanges.get(id)));
      }
    }
    return versions;
  }

  private static Iterable<Row> scan(CqlSession session, String cql) {
    return session.execute(SimpleStatement.newInstance(cql).setPageSize(1000).setTimeout(TIMEOUT));
  }

  private static Result insert(CqlSession session, String ks, List<Version> versions, int parallelism,
      CpuMeter cpu, CassandraActivity activity) throws InterruptedException {
    PreparedStatement chunk = session.prepare("INSERT INTO " + ks + ".snapshot_reference_chunks"
        + " (tenant_id, object_type, object_id, chunk_id, refs) VALUES (?, ?, ?, ?, ?)");
    PreparedStatement version = session.prepare("INSERT INTO " + ks + ".snapshot_versions (tenant_id, object_type,"
        + " object_id, version_id, run_id, captured_at, content_hash, removed, display_name, state_deflated,"
        + " state_crc32, state_length, members, members_count, owners, owners_count, members_inline, owners_inline)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    PreparedStatement name = session.prepare("INSERT INTO " + ks + ".snapshot_objects (tenant_id, object_type,"
        + " name_kind, sort_key, object_id, display_name, version_id, captured_at, removed)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    PreparedStatement latest = session.prepare("INSERT INTO " + ks + ".snapshot_latest (tenant_id, object_type,"
        + " bucket, object_id, version_id, run_id, captured_at, content_hash, removed, display_name, state_deflated,"
        + " state_crc32, state_length, members, members_count, owners, owners_count, members_inline, owners_inline)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    PreparedStatement change = session.prepare("INSERT INTO " + ks + ".snapshot_run_changes (tenant_id, run_id,"
        + " object_type, object_id, version_id, outcome) VALUES (?, ?, ?, ?, ?, ?)");
    Semaphore inFlight = new Semaphore(parallelism);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long rows = 0;
    long statements = 0;
    activity.start();
    cpu.start();
    long start = System.nanoTime();
    for (Version v : versions) {
      for (Row c : v.chunks()) {
        submit(session, inFlight, failure, chunk.bind(c.getString("tenant_id"), c.getString("object_type"),
            c.getString("object_id"), c.getString("chunk_id"), c.getString("refs")));
        rows++;
        statements++;
      }
      Row r = v.row();
      var batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
      batch.addStatement(unsetNulls(version, concat(new Object[] {r.getString("tenant_id"), r.getString("object_type"),
          r.getString("object_id")}, versionValues(r))));
      batch.addStatement(unsetNulls(latest, concat(new Object[] {r.getString("tenant_id"), r.getString("object_type"),
          v.bucket(), r.getString("object_id")}, versionValues(r))));
      for (Row n : v.names()) {
        batch.addStatement(unsetNulls(name, n.getString("tenant_id"), n.getString("object_type"), n.getString("name_kind"),
            n.getString("sort_key"), n.getString("object_id"), n.getString("display_name"), n.getUuid("version_id"),
            n.getInstant("captured_at"), n.getString("removed")));
      }
      if (v.runChange() != null) {
        Row c = v.runChange();
        batch.addStatement(change.bind(c.getString("tenant_id"), c.getString("run_id"), c.getString("object_type"),
            c.getString("object_id"), c.getUuid("version_id"), c.getString("outcome")));
      }
      BatchStatement built = batch.build();
      rows += built.size();
      statements++;
      submit(session, inFlight, failure, built);
    }
    inFlight.acquire(parallelism);
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Double> used = cpu.stop();
    String cassandra = activity.stop();
    if (failure.get() != null) {
      throw new IllegalStateException("raw insert failed", failure.get());
    }
    return new Result(versions.size(), rows, statements, seconds, used, cassandra);
  }

  /** A version row's values from version_id on: what its version and latest rows both hold. */
  private static Object[] versionValues(Row r) {
    return new Object[] {r.getUuid("version_id"), r.getString("run_id"), r.getInstant("captured_at"),
        r.getString("content_hash"), r.getString("removed"), r.getString("display_name"),
        r.getByteBuffer("state_deflated"), r.getInt("state_crc32"), r.getInt("state_length"),
        r.isNull("members") ? null : r.getList("members", String.class),
        r.isNull("members_count") ? null : r.getInt("members_count"),
        r.isNull("owners") ? null : r.getList("owners", String.class),
        r.isNull("owners_count") ? null : r.getInt("owners_count"),
        r.isNull("members_inline") ? null : r.getList("members_inline", String.class),
        r.isNull("owners_inline") ? null : r.getList("owners_inline", String.class)};
  }

  private static Object[] concat(Object[] key, Object[] values) {
    Object[] all = java.util.Arrays.copyOf(key, key.length + values.length);
    System.arraycopy(values, 0, all, key.length, values.length);
    return all;
  }

  /** As the store binds a new row: null columns left unset (no tombstone cells). */
  private static BoundStatement unsetNulls(PreparedStatement statement, Object... values) {
    BoundStatement bound = statement.bind(values);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        bound = bound.unset(i);
      }
    }
    return bound;
  }

  private static void submit(CqlSession session, Semaphore inFlight, AtomicReference<Throwable> failure,
      Statement<?> statement) throws InterruptedException {
    inFlight.acquire();
    session.executeAsync(statement).whenComplete((rs, error) -> {
      if (error != null) {
        failure.compareAndSet(null, error);
      }
      inFlight.release();
    });
  }

  /** The store's own table definitions (cql/snapshots.cql on the classpath) for another keyspace. */
  private static List<String> snapshotTables(String keyspace) throws IOException {
    try (InputStream in = RawInsertBaseline.class.getClassLoader().getResourceAsStream("cql/snapshots.cql")) {
      if (in == null) {
        throw new IllegalStateException("cql/snapshots.cql is not on the classpath");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
      List<String> ddl = new ArrayList<>();
      for (String statement : text.split(";")) {
        if (statement.isBlank() || statement.contains("counter")) {
          continue;
        }
        ddl.add(statement.replace("${keyspace}", keyspace).trim());
      }
      return ddl;
    }
  }
}
