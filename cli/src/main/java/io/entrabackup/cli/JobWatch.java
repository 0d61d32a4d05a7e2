package io.entrabackup.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;

/**
 * Follows one job until it ends: on a terminal a progress bar redrawn in place, otherwise a plain line whenever its
 * state or progress changes (a log or a CI job reads those); then the job's outcome as the exit status.
 */
final class JobWatch {

  static final int BAR_WIDTH = 30;

  private JobWatch() {}

  /**
   * A job just accepted may not be listed yet: backups' and restores' System Status rows are written by a projection
   * a few seconds after the tenant accepted them (http-api StartedJob), so a job this client started is looked for
   * this long before "not found" is believed.
   */
  static final Duration NEW_JOB_GRACE = Duration.ofSeconds(30);

  /** Polls {@code GET /jobs/{id}} every {@code interval} until the job ends; answers its exit status. */
  static int watch(ApiClient api, Output out, String jobId, Duration interval) {
    return watch(api, out, jobId, interval, Duration.ZERO);
  }

  /** As {@link #watch(ApiClient, Output, String, Duration)}, a 404 believed only after {@code grace}. */
  static int watch(ApiClient api, Output out, String jobId, Duration interval, Duration grace) {
    String path = "/api/v1/jobs/" + ApiClient.segment(jobId);
    long lookUntil = System.nanoTime() + grace.toNanos();
    String last = "";
    while (true) {
      ApiClient.Answer answer;
      try {
        answer = api.get(path);
      } catch (CliFailure failure) {
        if (failure.exitCode() != ExitCode.NOT_FOUND || System.nanoTime() - lookUntil > 0) {
          throw failure;
        }
        sleep(interval);
        continue;
      }
      JsonNode job = answer.json();
      String state = job.path("state").asText();
      Optional<Integer> ended = ExitCode.forJobState(state);
      if (!out.json()) {
        String line = out.terminal() ? bar(job) : plain(job);
        if (out.terminal()) {
          // Redraw in place; pad over what a longer previous line left.
          out.err().print("\r" + line + " ".repeat(Math.max(0, last.length() - line.length())));
          out.err().flush();
        } else if (!line.equals(last)) {
          out.note(line);
        }
        last = line;
      }
      if (ended.isPresent()) {
        if (out.terminal() && !out.json()) {
          out.err().println();
        }
        if (out.json()) {
          out.json(answer);
        } else {
          out.line(outcome(job));
        }
        return ended.get();
      }
      sleep(interval);
    }
  }

  /** {@code [#########.....]  45%  135/300 objects  2/5 types  running  job <id>}. */
  static String bar(JsonNode job) {
    Optional<Double> fraction = fraction(job);
    int filled = fraction.map(f -> (int) Math.round(f * BAR_WIDTH)).orElse(0);
    String bar = "[" + "#".repeat(filled) + (fraction.isPresent() ? "." : "?").repeat(BAR_WIDTH - filled) + "]";
    String percent = fraction.map(f -> String.format("%3d%%", (int) Math.floor(f * 100))).orElse("  ?%");
    return bar + " " + percent + "  " + counts(job) + "  " + state(job);
  }

  /** {@code job <id> running: 135/300 objects, 2/5 types}. */
  static String plain(JsonNode job) {
    return "job " + Text.clean(job.path("id").asText()) + " " + state(job) + ": " + counts(job);
  }

  /** The last line: how the job ended, its figures, its error or what to look at next. */
  static String outcome(JsonNode job) {
    StringBuilder line = new StringBuilder(Text.clean(job.path("kind").asText("job"))).append(' ')
        .append(Text.clean(job.path("id").asText())).append(' ').append(state(job)).append(": ").append(counts(job));
    if (job.hasNonNull("durationMillis")) {
      line.append(String.format(" in %.1f s", job.get("durationMillis").asLong() / 1000.0));
    }
    if (job.hasNonNull("error")) {
      line.append(" — ").append(Text.clean(job.get("error").asText()));
    }
    JsonNode restore = job.path("restore");
    if (restore.hasNonNull("newObjectId")) {
      line.append(System.lineSeparator()).append("recreated as ").append(Text.clean(restore.get("newObjectId").asText()));
    }
    if (restore.hasNonNull("temporaryPassword")) {
      // The API shows a recreated user's password on the first read only: this is that read.
      line.append(System.lineSeparator()).append("temporary password (shown only now): ")
          .append(Text.clean(restore.get("temporaryPassword").asText()));
    }
    if ("completed_with_skipped_items".equals(job.path("state").asText())) {
      line.append(System.lineSeparator()).append("see what was skipped: entra-backup restore skipped ")
          .append(Text.clean(job.path("id").asText()));
    }
    return line.toString();
  }

  /** Done of total as a fraction: objects when their total is known, else object types (backups). */
  static Optional<Double> fraction(JsonNode job) {
    if (ExitCode.forJobState(job.path("state").asText()).isPresent()) {
      return Optional.of(1.0);
    }
    JsonNode summary = job.path("summary");
    long total = summary.path("objectsTotal").asLong(0);
    if (total > 0) {
      return Optional.of(Math.min(1.0, summary.path("objectsDone").asLong() / (double) total));
    }
    int types = summary.path("typesTotal").asInt(0);
    if (types > 0) {
      return Optional.of(Math.min(1.0, summary.path("typesDone").asInt() / (double) types));
    }
    return Optional.empty();
  }

  static String counts(JsonNode job) {
    JsonNode summary = job.path("summary");
    StringBuilder text = new StringBuilder().append(summary.path("objectsDone").asLong());
    if (summary.hasNonNull("objectsTotal")) {
      text.append('/').append(summary.get("objectsTotal").asLong());
    }
    text.append(" objects");
    if (summary.hasNonNull("typesTotal")) {
      text.append(", ").append(summary.path("typesDone").asInt()).append('/').append(summary.get("typesTotal").asInt())
          .append(" types");
    }
    return text.toString();
  }

  private static String state(JsonNode job) {
    return Text.clean(job.path("state").asText("unknown"));
  }

  private static void sleep(Duration interval) {
    try {
      Thread.sleep(interval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure(ExitCode.FAILED, "interrupted");
    }
  }
}
