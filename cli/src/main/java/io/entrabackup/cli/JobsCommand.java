package io.entrabackup.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jobs list|show|watch}: System Status from the command line. */
@Command(name = "jobs", description = "List, show and watch jobs (backups, downloads, restores, retention passes).",
    subcommands = {JobsCommand.List.class, JobsCommand.Show.class, JobsCommand.Watch.class})
final class JobsCommand extends CommandGroup {

  @Command(name = "list", description = "The account's jobs of one kind, newest first.")
  static final class List extends ApiCommand {

    @Option(names = "--kind", defaultValue = "backup", description = "backup (default), download, restore or retention.")
    String kind;
    @Option(names = "--tenant", description = "Only this tenant's jobs (our tenant id).")
    String tenant;
    @Option(names = "--state", description = "Only jobs in these states, comma-separated: queued, running, completed, "
        + "completed_with_skipped_items, failed, awaiting_approval, rejected, expired.")
    String state;
    @Option(names = "--from", description = "Created at or after (ISO instant or date).")
    String from;
    @Option(names = "--to", description = "Created before (ISO instant, or a date: that whole day).")
    String to;
    @Mixin
    Pages pages;

    @Override
    int run(ApiClient api, Output out) {
      Map<String, Optional<String>> query = new LinkedHashMap<>();
      query.put("kind", Optional.of(kind));
      query.put("tenant", Optional.ofNullable(tenant));
      query.put("state", Optional.ofNullable(state));
      query.put("from", Optional.ofNullable(from));
      query.put("to", Optional.ofNullable(to));
      pages.addTo(query);
      return Pages.print(api.get("/api/v1/jobs" + ApiClient.query(query)), out, List::table);
    }

    static Table table(JsonNode page) {
      Table table = Table.of("id", "tenant", "state", "progress", "queued at", "took", "error");
      for (JsonNode job : page.path("items")) {
        table.row(job.path("id").asText(), job.path("tenantName").asText(job.path("tenantId").asText()),
            job.path("state").asText(), JobWatch.counts(job), job.path("queuedAt").asText(),
            job.hasNonNull("durationMillis") ? String.format("%.1f s", job.get("durationMillis").asLong() / 1000.0) : "",
            job.path("error").asText(""));
      }
      return table;
    }
  }

  @Command(name = "show", description = "One job.")
  static final class Show extends ApiCommand {

    @Parameters(paramLabel = "<jobId>")
    String jobId;

    @Override
    int run(ApiClient api, Output out) {
      return out.answer(api.get("/api/v1/jobs/" + ApiClient.segment(jobId)), json -> details(json).print(out.out()));
    }

    static Table details(JsonNode job) {
      Table table = Table.of("field", "value");
      table.row("id", job.path("id").asText());
      table.row("kind", job.path("kind").asText());
      table.row("tenant", job.path("tenantName").asText(job.path("tenantId").asText()));
      table.row("state", job.path("state").asText());
      table.row("progress", JobWatch.counts(job));
      for (String time : java.util.List.of("queuedAt", "startedAt", "finishedAt")) {
        if (job.hasNonNull(time)) {
          table.row(time, job.get(time).asText());
        }
      }
      if (job.hasNonNull("error")) {
        table.row("error", job.get("error").asText());
      }
      JsonNode download = job.path("download");
      for (String field : java.util.List.of("fileName", "sizeBytes", "sha256", "expiresAt")) {
        if (download.hasNonNull(field)) {
          table.row(field, download.get(field).asText());
        }
      }
      JsonNode restore = job.path("restore");
      for (String field : java.util.List.of("objectType", "objectId", "versionId", "action", "newObjectId", "changes",
          "skipped")) {
        if (restore.hasNonNull(field)) {
          table.row(field, restore.get(field).asText());
        }
      }
      return table;
    }
  }

  @Command(name = "watch", description = {"Follow a job until it ends: a progress bar on a terminal, a line per change "
      + "otherwise.", "Exits 0 completed, 7 completed with skipped items, 1 failed, rejected or expired."})
  static final class Watch extends ApiCommand {

    @Parameters(paramLabel = "<jobId>")
    String jobId;
    @Mixin
    Polling polling;

    @Override
    int run(ApiClient api, Output out) {
      return JobWatch.watch(api, out, jobId, polling.interval);
    }
  }
}
