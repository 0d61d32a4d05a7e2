package io.entrabackup.cluster.download;

import io.entrabackup.protocol.AsyncFailures;

import io.entrabackup.protocol.download.DownloadCommands.Command;
import io.entrabackup.protocol.download.DownloadInternal.BuildFailed;
import io.entrabackup.protocol.download.DownloadInternal.BuildReport;
import io.entrabackup.protocol.download.DownloadInternal.BuildSucceeded;
import io.entrabackup.protocol.download.DownloadEvents.DownloadRequested;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.entrabackup.cluster.job.JobMdc;
import io.entrabackup.protocol.backup.JobKind;
import java.util.Optional;

/**
 * The child of a download job entity that runs one build attempt and reports its outcome. It stops
 * with its parent (passivation, rebalance, node shutdown), and stopping aborts the build's stream.
 */
final class DownloadBuild {

  private static final Logger log = LoggerFactory.getLogger(DownloadBuild.class);

  private DownloadBuild() {}

  static Behavior<BuildReport> create(DownloadBuilder builder, DownloadRequested job, int attempt,
      ActorRef<Command> parent) {
    JobMdc mdc = job(job);
    return Behaviors.withMdc(BuildReport.class, mdc.entries(), Behaviors.setup(context -> {
      long startedNanos = System.nanoTime();
      context.getLog().info("Job started: download {} of tenant {}: {} (attempt {})", job.jobId(), job.tenant().id(),
          job.spec().scope(), attempt);
      DownloadBuilder.Running running = builder.start(job, attempt);
      context.pipeToSelf(running.result(), (file, error) -> error == null
          ? new BuildSucceeded(attempt, file)
          : failure(job, attempt, error));
      return Behaviors.receive(BuildReport.class)
          .onMessage(BuildReport.class, report -> {
            logEnded(context.getLog(), job, report, (System.nanoTime() - startedNanos) / 1_000_000);
            parent.tell(report);
            return Behaviors.stopped();
          })
          .onSignal(PostStop.class, signal -> {
            running.abort();
            return Behaviors.same();
          })
          .build();
    }));
  }

  /** What the download's log lines carry (without the request that asked for it, the job id stands in). */
  static JobMdc job(DownloadRequested job) {
    return new JobMdc(job.tenant().id().value(), job.jobId(), JobKind.DOWNLOAD,
        Optional.of(job.requestId().orElse(job.jobId())));
  }

  /** The build attempt's end line: how it ended, the file's objects and bytes, how long it took. */
  private static void logEnded(Logger log, DownloadRequested job, BuildReport report, long millis) {
    if (report instanceof BuildSucceeded built) {
      log.info("Job ended: download {} of tenant {} completed in {} ms: {} objects, {} bytes, {} chunks",
          job.jobId(), job.tenant().id(), millis, built.file().objects(), built.file().sizeBytes(),
          built.file().chunks());
    } else if (report instanceof BuildFailed failed) {
      log.info("Job ended: download {} of tenant {} failed in {} ms{}", job.jobId(), job.tenant().id(), millis,
          failed.retriable() ? " (another attempt may follow)" : "");
    }
  }

  private static BuildFailed failure(DownloadRequested job, int attempt, Throwable error) {
    Throwable cause = AsyncFailures.cause(error);
    if (cause instanceof ExportException export) {
      return new BuildFailed(attempt, export.getMessage(), false);
    }
    job(job).run(() -> log.warn("Download {} of tenant {}: build attempt {} failed: {}", job.jobId(),
        job.tenant().id(), attempt, cause.toString()));
    String reason = cause instanceof TimeoutException
        ? "the build stalled (no progress within the idle timeout)"
        : "the build failed: " + cause.getMessage();
    return new BuildFailed(attempt, reason, true);
  }
}
