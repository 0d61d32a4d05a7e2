package io.entrabackup.cluster.history;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.history.HistoryFinding;
import io.entrabackup.protocol.history.HistoryProblem;
import io.entrabackup.protocol.history.HistoryProgress;
import io.entrabackup.protocol.history.HistoryReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * {@code deploy/history-verify --tenant ID | --zip FILE}: verifies a tenant's stored history straight against
 * Cassandra (configured as the node is), printing each break and gap as found and the figures last; or checks a
 * downloaded ZIP offline against its manifest and the chain heads it carries. Exits 0 when everything checked holds,
 * 1 when something does not, 2 when it could not check. Read-only; runs beside live nodes.
 */
public final class HistoryVerifyCommand {

  private static final String USAGE = "usage: history-verify --tenant TENANT_ID | --zip DOWNLOAD.zip";
  /** How long a tenant's walk may take before the command gives up. */
  private static final Duration TENANT_TIMEOUT = Duration.ofHours(2);

  private HistoryVerifyCommand() {}

  public static void main(String[] args) {
    System.exit(run(ConfigFactory.load(), List.of(args), System.out, System.err));
  }

  /** Runs the command with this configuration; answers its exit status. */
  public static int run(Config config, List<String> args, PrintStream out, PrintStream err) {
    if (args.size() != 2 || !(args.get(0).equals("--tenant") || args.get(0).equals("--zip"))) {
      err.println(USAGE);
      return 2;
    }
    return args.get(0).equals("--zip") ? zip(Path.of(args.get(1)), out, err) : tenant(config, args.get(1), out, err);
  }

  private static int zip(Path file, PrintStream out, PrintStream err) {
    if (!Files.isRegularFile(file)) {
      err.println("history-verify: no such file " + file);
      return 2;
    }
    try {
      ZipHistoryCheck.Result result = ZipHistoryCheck.check(file);
      result.problems().forEach(problem -> out.println("PROBLEM " + problem));
      out.println(file.getFileName() + ": " + result.files() + " files match the manifest"
          + ", content hashes keyed (proven online only)"
          + ", " + result.links() + " chain links recomputed, " + result.heads() + " chain heads, "
          + result.unchained() + " unchained; " + (result.intact() ? "intact" : "NOT INTACT"));
      return result.intact() ? 0 : 1;
    } catch (IOException | RuntimeException e) {
      err.println("history-verify: could not read " + file + ": " + e.getMessage());
      return 2;
    }
  }

  private static int tenant(Config config, String tenantText, PrintStream out, PrintStream err) {
    TenantId tenant;
    try {
      tenant = TenantId.parse(tenantText);
    } catch (IllegalArgumentException e) {
      err.println("history-verify: not a tenant id: " + tenantText);
      return 2;
    }
    String keyspace = config.getString("entra-backup.cassandra.keyspace");
    int parallelism = config.getInt("entra-backup.history.verify-parallelism");
    var loader = DriverConfigLoader.fromString(
        config.withOnlyPath("datastax-java-driver").root().render(ConfigRenderOptions.concise()));
    // Only to run the walk's stream: a local system from the libraries' defaults, never the node's configuration (its
    // cluster provider and seed nodes would bind the node's port and join the running cluster).
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "history-verify",
        ConfigFactory.parseString("pekko.loglevel = WARNING\npekko.actor.provider = local")
            .withFallback(ConfigFactory.defaultReference()));
    try (CqlSession session = CqlSession.builder().withConfigLoader(loader).build()) {
      var verifier = new HistoryVerifier(() -> CompletableFuture.completedFuture(session), keyspace, parallelism);
      AtomicReference<HistoryReport> report = new AtomicReference<>();
      verifier.verify(tenant)
          .runWith(Sink.foreach(finding -> print(finding, out, err, report)), system)
          .toCompletableFuture().get(TENANT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return report.get().intact() ? 0 : 1;
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      err.println("history-verify: could not verify tenant " + tenant + ": " + cause.getMessage());
      return 2;
    } finally {
      system.terminate();
    }
  }

  private static void print(HistoryFinding finding, PrintStream out, PrintStream err,
      AtomicReference<HistoryReport> report) {
    if (finding instanceof HistoryProblem problem) {
      out.println(problem.kind().toUpperCase() + " " + problem.type() + " " + problem.objectId() + " version "
          + problem.versionId() + ": " + problem.detail());
    } else if (finding instanceof HistoryProgress progress) {
      err.println("... " + progress.objects() + " objects (" + progress.type() + ")");
    } else if (finding instanceof HistoryReport figures) {
      report.set(figures);
      out.println(describe(figures));
    }
  }

  static String describe(HistoryReport report) {
    return "tenant " + report.tenant() + ": " + report.objects() + " objects, " + report.versions() + " versions ("
        + report.chained() + " chained, " + report.unchained() + " unchained (written before chains)), "
        + report.horizons() + " pruning horizons, " + report.breaks() + " breaks, " + report.gaps() + " gaps; "
        + (report.intact() ? "history intact" : "HISTORY NOT INTACT");
  }
}
