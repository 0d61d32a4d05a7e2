package io.entrabackup.cli;

import java.time.Duration;

/** What a command that starts a job (backup, download, restore) prints: the job, or the job followed to its end. */
final class Started {

  private Started() {}

  static int report(ApiClient api, Output out, ApiClient.Answer accepted, boolean watch, Duration interval) {
    String id = accepted.json().path("id").asText();
    if (watch) {
      if (!out.json()) {
        out.note(Text.clean(accepted.json().path("kind").asText("job")) + " " + Text.clean(id) + " started");
      }
      return JobWatch.watch(api, out, id, interval, JobWatch.NEW_JOB_GRACE);
    }
    return out.answer(accepted, job -> {
      out.line(Text.clean(id));
      out.note(Text.clean(job.path("kind").asText("job")) + " " + Text.clean(id) + " "
          + Text.clean(job.path("state").asText()) + "; follow it: entra-backup jobs watch " + Text.clean(id));
    });
  }
}
