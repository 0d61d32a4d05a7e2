package io.entrabackup.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code restore plan|run|skipped}: put one object back to one of its versions. */
@Command(name = "restore", description = "Plan and run the restore of one object to a backed-up version.",
    subcommands = {RestoreCommand.Plan.class, RestoreCommand.Run.class, RestoreCommand.Skipped.class})
final class RestoreCommand extends CommandGroup {

  /** The object a plan or a restore is about. */
  abstract static class ObjectCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "<tenantId>")
    String tenant;
    @Parameters(index = "1", paramLabel = "<type>", description = "users, groups, directoryRoles or roleAssignments.")
    String type;
    @Parameters(index = "2", paramLabel = "<objectId>")
    String objectId;
    @Option(names = "--version", required = true, description = "The versionId to restore the object to.")
    String version;

    String objectPath() {
      return TenantsCommand.path(tenant) + "/objects/" + ApiClient.segment(type) + "/" + ApiClient.segment(objectId);
    }
  }

  @Command(name = "plan", description = "What restoring the object to the version would do now; writes nothing.")
  static final class Plan extends ObjectCommand {

    @Override
    int run(ApiClient api, Output out) {
      return out.answer(api.post(objectPath() + "/restore-plans", Map.of("version", version)), plan -> {
        changes(plan).print(out.out());
        if (plan.path("skipped").size() > 0) {
          out.line("");
          out.line("would be skipped:");
          Skipped.table(plan.path("skipped")).print(out.out());
        }
      });
    }

    static Table changes(JsonNode plan) {
      Table table = Table.of("change", "count", "what");
      table.row("action", "", plan.path("action").asText() + " (live: " + plan.path("liveState").asText() + ")");
      java.util.List<String> properties = new java.util.ArrayList<>();
      plan.path("propertiesToSet").fieldNames().forEachRemaining(properties::add);
      table.row("propertiesToSet", properties.size(), String.join(", ", properties));
      for (String list : java.util.List.of("membersToAdd", "membersToRemove", "ownersToAdd", "ownersToRemove",
          "membershipsToAdd", "roleAssignmentsToAdd", "roleAssignmentsToRemove", "skipped")) {
        table.row(list, plan.path(list).size(), "");
      }
      return table;
    }
  }

  @Command(name = "run", description = {"Restore the object to the version; prints the job id.",
      "With --watch, follows it: exits 0 completed, 7 completed with skipped items, 1 failed."})
  static final class Run extends ObjectCommand {

    @Option(names = "--watch", description = "Follow the job until it ends.")
    boolean watch;
    @Mixin
    Polling polling;

    @Override
    int run(ApiClient api, Output out) {
      ApiClient.Answer answer = api.post(objectPath() + "/restores", Map.of("version", version));
      return Started.report(api, out, answer, watch, polling.interval);
    }
  }

  @Command(name = "skipped", description = "A restore's skipped items with their reasons, as a table, --csv or --json.")
  static final class Skipped extends ApiCommand {

    @Parameters(paramLabel = "<jobId>")
    String jobId;
    @Option(names = "--csv", description = "The API's CSV (RFC 4180), unchanged.")
    boolean csv;

    @Override
    int run(ApiClient api, Output out) {
      String path = "/api/v1/jobs/" + ApiClient.segment(jobId) + "/skipped-items";
      if (csv) {
        out.out().print(api.getText(path + "?format=csv", "text/csv").body());
        out.out().flush();
        return ExitCode.OK;
      }
      return out.answer(api.get(path), json -> table(json.path("items")).print(out.out()));
    }

    static Table table(JsonNode items) {
      Table table = Table.of("type", "object", "item", "reason", "graph code", "message");
      for (JsonNode item : items) {
        table.row(item.path("objectType").asText(), item.path("objectId").asText(), item.path("item").asText(),
            item.path("reason").asText(), item.path("graphCode").asText(""), item.path("message").asText(""));
      }
      return table;
    }
  }
}
