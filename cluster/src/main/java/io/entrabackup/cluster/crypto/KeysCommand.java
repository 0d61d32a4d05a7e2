package io.entrabackup.cluster.crypto;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code deploy/keys rewrap}: re-wraps every tenant data key that is not wrapped under the current master key
 * ({@code entra-backup.encryption.current-master-key}) with it, straight against Cassandra, configured as the nodes are.
 * Online: nodes read either wrapping meanwhile, and a key destroyed meanwhile stays destroyed. Run it after making a new
 * master key current (listed beside the old one, on every node); once it reports no key left under the old one, the old
 * key may be removed from the configuration. Exits 0 when done, 2 when it could not (usage, config, Cassandra).
 */
public final class KeysCommand {

  /** A rewrap of every tenant's keys: one small read and one lightweight transaction per key. */
  private static final Duration RUN_TIMEOUT = Duration.ofHours(1);

  private KeysCommand() {}

  public static void main(String[] args) {
    System.exit(run(ConfigFactory.load(), List.of(args), System.out, System.err));
  }

  /** Runs the command with this configuration; answers its exit status. */
  public static int run(Config config, List<String> args, PrintStream out, PrintStream err) {
    if (!args.equals(List.of("rewrap"))) {
      err.println("usage: keys rewrap   (re-wrap every tenant's data keys under the current master key)");
      return 2;
    }
    String keyspace = config.getString("entra-backup.cassandra.keyspace");
    var loader = DriverConfigLoader.fromString(
        config.withOnlyPath("datastax-java-driver").root().render(ConfigRenderOptions.concise()));
    try (CqlSession session = CqlSession.builder().withConfigLoader(loader).build()) {
      EncryptionSettings settings = EncryptionSettings.create(config);
      ConfiguredMasterKeys masterKeys = settings.masterKeys().requireCurrent();
      var keyring = new TenantKeyring(new DataKeyTable(() -> CompletableFuture.completedFuture(session), keyspace),
          settings, java.util.Optional.of(masterKeys), Clock.systemUTC());
      TenantKeyring.RewrapReport report = keyring.rewrapAll().toCompletableFuture()
          .get(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      out.println("keys: " + report.keys() + " data keys in keyspace " + keyspace + ": " + report.rewrapped()
          + " re-wrapped under master key '" + masterKeys.currentId() + "', " + report.alreadyCurrent()
          + " were already, " + report.destroyed() + " destroyed (offboarded tenants)");
      return 0;
    } catch (ExecutionException e) {
      err.println("keys: rewrap stopped: " + e.getCause().getMessage() + " (run it again: it goes on where it was)");
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("keys: interrupted");
      return 2;
    } catch (Exception e) {
      err.println("keys: could not rewrap: " + e.getMessage());
      return 2;
    }
  }
}
