package io.entrabackup.cluster.audit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.entrabackup.cluster.store.CassandraSecurity;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import io.entrabackup.protocol.audit.ChainCheck;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code deploy/audit-verify [--account ID]}: checks the hash chain of one account's audit trail, or of every
 * account's, straight against Cassandra (the node's configuration says where, as for the node itself), prints each
 * trail's result and the first break, and exits 1 when any chain is broken (0 when all hold, 2 when it could not
 * check). Read-only; runs beside live nodes.
 */
public final class AuditVerifyCommand {

  /** How long one trail's check may take before the command gives up. */
  private static final Duration TRAIL_TIMEOUT = Duration.ofMinutes(10);

  private AuditVerifyCommand() {}

  public static void main(String[] args) {
    System.exit(run(ConfigFactory.load(), List.of(args), System.out, System.err));
  }

  /** Runs the command with this configuration; answers its exit status. */
  public static int run(Config config, List<String> args, PrintStream out, PrintStream err) {
    if (!(args.isEmpty() || (args.size() == 2 && args.get(0).equals("--account")))) {
      err.println("usage: audit-verify [--account ACCOUNT_ID]   (every account's trail when no account is given)");
      return 2;
    }
    String keyspace = config.getString("entra-backup.cassandra.keyspace");
    // The node's driver settings (contact points, data center, timeouts), over the driver's defaults.
    var loader = DriverConfigLoader.fromString(
        CassandraSecurity.applyTo(config).withOnlyPath("datastax-java-driver").root().render(ConfigRenderOptions.concise()));
    try (CqlSession session = CqlSession.builder().withConfigLoader(loader).build()) {
      var trail = new AuditTrail(() -> CompletableFuture.completedFuture(session), keyspace);
      List<String> accounts = args.isEmpty() ? await(trail.accounts()) : List.of(args.get(1));
      if (accounts.isEmpty()) {
        out.println("No audit trail in keyspace " + keyspace + " yet.");
      }
      boolean broken = false;
      for (String account : accounts) {
        ChainCheck check = await(trail.verify(account));
        out.println(describe(check));
        broken |= !check.intact();
      }
      return broken ? 1 : 0;
    } catch (RuntimeException e) {
      err.println("audit-verify: could not check the audit trail: " + e.getMessage());
      return 2;
    }
  }

  static String describe(ChainCheck check) {
    if (check.intact()) {
      return "account " + check.account() + ": " + check.records() + " records, chain intact";
    }
    ChainCheck.Break at = check.firstBreak().orElseThrow();
    return "account " + check.account() + ": BROKEN at record " + at.sequence() + ": " + at.problem()
        + " (" + check.records() + " records hold before it)";
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(TRAIL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(String.valueOf(e.getCause().getMessage()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("no answer within " + TRAIL_TIMEOUT, e);
    }
  }
}
