package io.entrabackup.cluster.history;

import io.entrabackup.cluster.crypto.TenantKeyring;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.cluster.store.LocalCassandra;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.history.HistoryReport;
import io.entrabackup.testing.SchemaDdl;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Prints how fast a tenant's history is verified, and the heap it takes: {@code n} users (default 100,000), each with
 * one version, written through the store into a keyspace of its own, then walked by {@link HistoryVerifier}. Run with
 * a small heap ({@code -Xmx128m}) to see the walk does not grow with the tenant. Against the local Cassandra.
 */
public final class HistoryVerifyBench {

  private HistoryVerifyBench() {}

  public static void main(String[] args) {
    int objects = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    String keyspace = "bench_history_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    SchemaDdl.createReadSide("127.0.0.1", 9042, keyspace);
    ActorTestKit testKit = ActorTestKit.create("HistoryVerifyBench", LocalCassandra.config(keyspace));
    try {
      CassandraSession session = LocalCassandra.session(testKit);
      SnapshotStore store = new SnapshotStore(session, keyspace, 64,
          TenantKeyring.get(testKit.system()));
      TenantId tenant = TenantId.random();
      Instant at = Instant.parse("2026-12-01T00:00:00Z");
      long writeStart = System.nanoTime();
      LocalCassandra.await(Source.range(1, objects)
          .mapAsyncUnordered(64, i -> store.write(tenant, ObjectType.USERS, "run1", user(i), Optional.empty(), at))
          .runWith(Sink.ignore(), testKit.system()), Duration.ofMinutes(30));
      double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
      System.gc();
      HistoryVerifier verifier = new HistoryVerifier(session::underlying, keyspace, parallelism);
      AtomicReference<HistoryReport> report = new AtomicReference<>();
      resetPeaks();
      long verifyStart = System.nanoTime();
      LocalCassandra.await(verifier.verify(tenant)
          .runWith(Sink.foreach(finding -> {
            if (finding instanceof HistoryReport figures) {
              report.set(figures);
            }
          }), testKit.system()), Duration.ofMinutes(30));
      double verifySeconds = (System.nanoTime() - verifyStart) / 1e9;
      System.out.printf("objects=%d written in %.1f s; verified in %.1f s = %.0f objects/s (parallelism %d);"
              + " peak heap during the walk %d MiB (garbage included) of max %d MiB; report %s%n", objects, writeSeconds,
          verifySeconds, objects / verifySeconds, parallelism, peakHeapMib(),
          Runtime.getRuntime().maxMemory() >> 20, report.get());
    } finally {
      LocalCassandra.dropAndShutDown(null, testKit, keyspace);
      SchemaDdl.drop("127.0.0.1", 9042, keyspace);
    }
  }

  private static ObjectNode user(int i) {
    ObjectNode user = JsonNodeFactory.instance.objectNode();
    String id = String.format("%08d-0000-4000-8000-000000000000", i);
    return user.put("id", id).put("displayName", "User " + i).put("userPrincipalName", "user" + i + "@contoso.example")
        .put("jobTitle", "Engineer").put("accountEnabled", true);
  }

  private static void resetPeaks() {
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  /** The heap pools' peak use since the reset (garbage included: an upper bound of what the walk needed). */
  private static long peakHeapMib() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes >> 20;
  }
}
