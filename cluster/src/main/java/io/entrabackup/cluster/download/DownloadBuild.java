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
import org.slf4j.MDC;

/**
 * The child of a download job entity that runs one build attempt and reports its outcome. It stops
 * with its parent (passivation, rebalance, node shutdown), and stopping aborts the build's stream.
 */
final class DownloadBuild {

  private static final Logger log = LoggerFactory.getLogger(DownloadBuild.class);

  private DownloadBuild() {}

  static Behavior<BuildReport> create(DownloadBuilder builder, DownloadRequested job, int attempt,
      ActorRef<Command> parent) {
    return Behaviors.setup(context -> {
      DownloadBuilder.Running running = builder.start(job, attempt);
      context.pipeToSelf(running.result(), (file, error) -> error == null
          ? new BuildSucceeded(attempt, file)
          : failure(job, attempt, error));
      return Behaviors.receive(BuildReport.class)
          .onMessage(BuildReport.class, report -> {
            parent.tell(report);
            return Behaviors.stopped();
          })
          .onSignal(PostStop.class, signal -> {
            running.abort();
            return Behaviors.same();
          })
          .build();
    });
  }

  private static BuildFailed failure(DownloadRequested job, int attempt, Throwable error) {
    Throwable cause = AsyncFailures.cause(error);
    if (cause instanceof ExportException export) {
      return new BuildFailed(attempt, export.getMessage(), false);
    }
    MDC.put("tenantId", job.tenant().id().value());
    MDC.put("jobId", job.jobId());
    try {
      log.warn("Download {} of tenant {}: build attempt {} failed: {}", job.jobId(), job.tenant().id(), attempt,
          cause.toString());
    } finally {
      MDC.remove("tenantId");
      MDC.remove("jobId");
    }
    String reason = cause instanceof TimeoutException
        ? "the build stalled (no progress within the idle timeout)"
        : "the build failed: " + cause.getMessage();
    return new BuildFailed(attempt, reason, true);
  }
}
