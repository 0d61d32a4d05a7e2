package io.entrabackup.bench;

import io.entrabackup.cluster.crypto.TenantKeyring;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.cluster.audit.AuditTrail;
import io.entrabackup.cluster.job.JobsByAccount;
import io.entrabackup.cluster.retention.Retention;
import io.entrabackup.cluster.retention.RetentionFigures;
import io.entrabackup.cluster.retention.RetentionSettings;
import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.cluster.store.CassandraSchema;
import io.entrabackup.cluster.store.CassandraSettings;
import io.entrabackup.cluster.tenant.TenantDirectory;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Retention's cost (issue 18, item 4): one tenant of N users with V versions each, captured over the past months, is
 * stored through the snapshot store; a pass with a 30-day retention then prunes every version that stopped being
 * current more than 30 days ago. Prints the objects examined, versions pruned, the statements issued by kind (range
 * deletes = range tombstones, point deletes = point tombstones) against the point tombstones a per-row delete would
 * have written, and the prune rate. Run by {@code deploy/bench --retention [--objects N] [--versions V]}.
 */
final class RetentionBench {

  private RetentionBench() {}

  private static String randomMasterKey() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return java.util.Base64.getEncoder().encodeToString(key);
  }

  static int run(String[] args) throws Exception {
    int objects = option(args, "--objects", 10_000);
    int versions = option(args, "--versions", 4);
    String cassandra = optionText(args, "--cassandra", "127.0.0.1:9042");
    String keyspace = "bench_ret_" + Long.toString(System.currentTimeMillis(), 36);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "retention-bench", ConfigFactory.parseString(
            String.join("\n", "pekko.actor.provider = local", "pekko.loglevel = WARNING",
                "entra-backup.cassandra.keyspace = " + keyspace,
                "datastax-java-driver.basic.contact-points = [\"" + cassandra + "\"]",
                "datastax-java-driver.basic.load-balancing-policy.local-datacenter = \"datacenter1\"",
                "datastax-java-driver.basic.request.timeout = 30s",
                // Versions are sealed as a node seals them; the key is this run's own, made at random.
                "entra-backup.encryption.master-keys = [{ id = \"bench\", key = \"" + randomMasterKey() + "\" }]",
                "entra-backup.encryption.current-master-key = \"bench\""))
        .withFallback(ConfigFactory.load()));
    CassandraSession session = CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create(CassandraSettings.SESSION_CONFIG_PATH));
    try {
      System.out.println("entra-backup: retention benchmark, " + Instant.now() + ", " + objects + " users x "
          + versions + " versions, keyspace " + keyspace);
      CassandraSchema.createIfNotExists(session, CassandraSettings.create(system)).toCompletableFuture()
          .get(5, TimeUnit.MINUTES);
      Materializer materializer = Materializer.matFromSystem(system);
      Instant now = Instant.now();
      TenantId tenant = TenantId.random();
      SnapshotStore store = new SnapshotStore(session, keyspace, 64, TenantKeyring.get(system));
      long seedFrom = System.nanoTime();
      // Version k of every user is captured (versions - k) * 20 days ago: with 4, at 80, 60, 40 and 20 days ago.
      for (int k = 0; k < versions; k++) {
        Instant at = now.minus(Duration.ofDays(20L * (versions - k)));
        int round = k;
        Source.range(0, objects - 1)
            .mapAsyncUnordered(64, i -> {
              String id = "user-" + i;
              return store.latest(tenant, ObjectType.USERS, id).thenCompose(previous -> store.write(tenant,
                  ObjectType.USERS, "run-" + round, user(id, round), previous, at));
            })
            .runWith(Sink.ignore(), materializer).toCompletableFuture().get(30, TimeUnit.MINUTES);
      }
      System.out.printf("seeded %,d versions in %.1f s%n", (long) objects * versions,
          (System.nanoTime() - seedFrom) / 1e9);
      RetentionSettings settings = new RetentionSettings(false, Duration.ofHours(1), Duration.ofHours(24),
          Duration.ofMinutes(2), 16, Duration.ofDays(30));
      Retention retention = new Retention(session, keyspace, new JobsByAccount(session, keyspace),
          new TenantDirectory(session, keyspace), new AuditTrail(session::underlying, keyspace), materializer,
          settings, Clock.systemUTC(), "bench");
      long from = System.nanoTime();
      RetentionFigures figures = retention.passNow(new AccountId("retention-bench"), tenant.value(), 30)
          .toCompletableFuture().get(30, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - from) / 1e9;
      System.out.printf("pass: %,d objects examined, %,d versions pruned, %,d chunks deleted, %,d state bytes%n",
          figures.objects(), figures.versions(), figures.chunks(), figures.stateBytes());
      System.out.println("statements: " + retention.statementCounts());
      System.out.printf("tombstones: %,d range (one per pruned object) and %,d point, where deleting each pruned row"
          + " would write %,d point tombstones%n", figures.versions() == 0 ? 0 : countOf(retention, "rangeDeletes"),
          countOf(retention, "pointDeletes"), figures.versions());
      System.out.printf("prune rate: %.0f objects/s, %.0f versions/s (%.1f s, parallelism %d)%n",
          figures.objects() / seconds, figures.versions() / seconds, seconds, settings.parallelism());
      long left = session.selectOne("SELECT count(*) FROM " + keyspace + ".snapshot_versions WHERE tenant_id = ?"
          + " AND object_type = 'users' AND object_id = 'user-0'", tenant.value()).toCompletableFuture()
          .get(1, TimeUnit.MINUTES)
          .orElseThrow().getLong(0);
      System.out.println("versions left of user-0: " + left + " (expected 2: current and the one current 30 days"
          + " ago)");
      return figures.versions() == (long) objects * Math.max(0, versions - 2) && left == 2 ? 0 : 1;
    } finally {
      session.executeDDL("DROP KEYSPACE IF EXISTS " + keyspace).toCompletableFuture().get(2, TimeUnit.MINUTES);
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static long countOf(Retention retention, String name) {
    for (String part : retention.statementCounts().split(" ")) {
      if (part.startsWith(name + "=")) {
        return Long.parseLong(part.substring(name.length() + 1));
      }
    }
    return 0;
  }

  private static ObjectNode user(String id, int round) {
    return JsonNodeFactory.instance.objectNode().put("id", id).put("displayName", "User " + id)
        .put("userPrincipalName", id + "@contoso.com").put("jobTitle", "Title " + round);
  }

  private static int option(String[] args, String name, int fallback) {
    return Optional.ofNullable(optionText(args, name, null)).map(Integer::parseInt).orElse(fallback);
  }

  private static String optionText(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
