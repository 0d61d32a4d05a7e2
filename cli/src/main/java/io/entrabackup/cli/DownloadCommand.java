package io.entrabackup.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code download create|wait|fetch}: a ZIP of a tenant, a type or an object, built by the server, then fetched. */
@Command(name = "download", description = "Create a download (a ZIP of backed-up objects), wait for it, fetch it.",
    subcommands = {DownloadCommand.Create.class, DownloadCommand.Wait.class, DownloadCommand.Fetch.class})
final class DownloadCommand extends CommandGroup {

  @Command(name = "create", description = {"Start building a download; prints the job id.",
      "Scope: the whole tenant; --type for one object type; --type and --object for one object."})
  static final class Create extends ApiCommand {

    @Parameters(paramLabel = "<tenantId>")
    String tenant;
    @Option(names = "--type", description = "users, groups, directoryRoles, roleDefinitions or roleAssignments.")
    String type;
    @Option(names = "--object", description = "One object's id (with --type).")
    String objectId;
    @Option(names = "--version", description = "One version of the object (with --object; default: all versions).")
    String versionId;
    @Option(names = "--as-of", description = "The directory as it was at this ISO instant.")
    String asOf;
    @Option(names = "--run", description = "The directory as a completed backup (its job id) saw it.")
    String runId;
    @Option(names = "--include-deleted", description = "Keep objects deleted by then.")
    boolean includeDeleted;
    @Option(names = "--wait", description = "Follow the job until the ZIP is ready (or failed).")
    boolean watch;
    @Mixin
    Polling polling;

    @Override
    int run(ApiClient api, Output out) {
      ApiClient.Answer answer = api.post(TenantsCommand.path(tenant) + "/downloads", body());
      return Started.report(api, out, answer, watch, polling.interval);
    }

    Map<String, Object> body() {
      if (objectId != null && type == null) {
        throw new CliFailure(ExitCode.USAGE, "--object needs --type");
      }
      if (versionId != null && objectId == null) {
        throw new CliFailure(ExitCode.USAGE, "--version needs --object");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("scope", objectId != null ? "object" : type != null ? "type" : "tenant");
      put(body, "type", type);
      put(body, "objectId", objectId);
      put(body, "versionId", versionId);
      put(body, "asOf", asOf);
      put(body, "runId", runId);
      if (includeDeleted) {
        body.put("includeDeleted", true);
      }
      return body;
    }

    private static void put(Map<String, Object> body, String name, String value) {
      if (value != null) {
        body.put(name, value);
      }
    }
  }

  @Command(name = "wait", description = "Follow a download job until its ZIP is ready; exits as 'jobs watch' does.")
  static final class Wait extends ApiCommand {

    @Parameters(paramLabel = "<jobId>")
    String jobId;
    @Mixin
    Polling polling;

    @Override
    int run(ApiClient api, Output out) {
      return JobWatch.watch(api, out, jobId, polling.interval);
    }
  }

  @Command(name = "fetch", description = {"Fetch a ready download's ZIP and check its SHA-256 against the job's.",
      "An interrupted fetch leaves <file>.part; fetching again resumes it (HTTP Range, If-Range on the checksum).",
      "A partial file that does not match is detected by the checksum and fetched again whole.",
      "Exits 1 when the checksum does not match."})
  static final class Fetch extends ApiCommand {

    @Parameters(paramLabel = "<jobId>")
    String jobId;
    @Option(names = {"-o", "--output"}, paramLabel = "<file>",
        description = "Where to write the ZIP (default: the job's file name, in this directory).")
    Path output;

    @Override
    int run(ApiClient api, Output out) {
      return new DownloadFetch(api, out).fetch(jobId, java.util.Optional.ofNullable(output));
    }
  }
}
