package io.entrabackup.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backup now}: Backup Now for one tenant, optionally followed to its end. */
@Command(name = "backup", description = "Back up a tenant now.", subcommands = BackupCommand.Now.class)
final class BackupCommand extends CommandGroup {

  @Command(name = "now", description = {"Start a backup of the tenant now; prints the job id.",
      "With --watch, follows it and exits as 'jobs watch' does."})
  static final class Now extends ApiCommand {

    @Parameters(paramLabel = "<tenantId>")
    String tenant;
    @Option(names = "--watch", description = "Follow the job until it ends.")
    boolean watch;
    @Mixin
    Polling polling;

    @Override
    int run(ApiClient api, Output out) {
      ApiClient.Answer answer = api.post(TenantsCommand.path(tenant) + "/backups", java.util.Map.of());
      return Started.report(api, out, answer, watch, polling.interval);
    }
  }
}
