package io.entrabackup.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code entra-backup}, the command-line client: tenants, backups, jobs, downloads, restores and API keys through the
 * public HTTP API, as tables for people or the API's JSON for scripts, with exit statuses scripts can rely on
 * ({@link ExitCode}).
 */
@Command(name = "entra-backup", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "entra-backup client 0.1.0",
    description = {"Back up and restore Microsoft Entra ID directories through an entra-backup server's API.",
        "Server: --url or ENTRA_URL. API key: ENTRA_API_KEY or --api-key-file <path> (never an argument).",
        "HTTPS with a private CA: --ca-file <ca.pem> or ENTRA_CA_FILE."},
    subcommands = {TenantsCommand.class, BackupCommand.class, JobsCommand.class, DownloadCommand.class,
        RestoreCommand.class, KeysCommand.class, CommandLine.HelpCommand.class},
    footer = {"", ExitCode.HELP})
public final class EntraBackup implements Runnable {

  private static final String KEY_REFUSED = "entra-backup: the API key is never taken as an argument (every user of"
      + " this machine could read it in the process list, and the shell keeps it in its history): set "
      + ApiKeySource.VARIABLE + " or pass --api-key-file <path>";

  private final Map<String, String> environment;
  private final boolean terminal;

  @Spec
  CommandSpec spec;

  EntraBackup(Map<String, String> environment, boolean terminal) {
    this.environment = Map.copyOf(environment);
    this.terminal = terminal;
  }

  Map<String, String> environment() {
    return environment;
  }

  boolean terminal() {
    return terminal;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "name a command: tenants, backup, jobs, download, restore or keys (entra-backup --help)");
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, Charset.defaultCharset());
    PrintWriter err = new PrintWriter(System.err, true, Charset.defaultCharset());
    boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    System.exit(execute(args, System.getenv(), out, err, terminal));
  }

  /**
   * Runs one command line with this environment and these streams (tests run the client in process); answers its exit
   * status. {@code terminal}: whether progress may be drawn in place on {@code err}.
   */
  public static int execute(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err,
      boolean terminal) {
    if (Arrays.stream(args).anyMatch(EntraBackup::isKeyArgument)) {
      err.println(KEY_REFUSED);
      err.flush();
      return ExitCode.USAGE;
    }
    CommandLine cli = new CommandLine(new EntraBackup(environment, terminal));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((failure, commandLine, parsed) -> {
      if (failure instanceof CliFailure known) {
        commandLine.getErr().println("entra-backup: " + known.getMessage());
        return known.exitCode();
      }
      commandLine.getErr().println("entra-backup: unexpected " + failure.getClass().getSimpleName() + ": "
          + Text.clean(failure.getMessage()));
      return ExitCode.FAILED;
    });
    int status = cli.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  /** {@code --api-key}, {@code --api-key=...} or {@code --apikey}: a key on the command line (not --api-key-file). */
  static boolean isKeyArgument(String arg) {
    String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
    return name.equals("--api-key") || name.equals("--apikey") || name.equals("--key");
  }
}
