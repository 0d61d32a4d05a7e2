package io.entrabackup.protocol.download;

import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a download job entity hears from inside the cluster, never from the API: the wake-up System Status sends, its
 * build's reports, its own timers, and the results of its side effects. The API's commands are in
 * {@link DownloadCommands}.
 */
public final class DownloadInternal {

  private DownloadInternal() {}

  /** A message from the cluster, the entity's build, or the entity itself. */
  public sealed interface InternalCommand extends DownloadCommands.Command
      permits Wake, BuildReport, Resume, RetryDue, SyncRows, RowsSynced, ApprovalDue {}

  /** The entity's own timer: the job's approval window may be over. */
  public record ApprovalDue() implements InternalCommand {}

  /**
   * Does nothing but bring the entity up: sent when System Status shows a job still running, so a job
   * whose node is gone resumes on recovery even if sharding did not restart it.
   */
  public record Wake() implements InternalCommand {}

  /** What the running build reports; a report of an older attempt is ignored. */
  public sealed interface BuildReport extends InternalCommand permits BuildSucceeded, BuildFailed {
    int attempt();
  }

  /** Every chunk of the ZIP is stored. */
  public record BuildSucceeded(int attempt, BuiltFile file) implements BuildReport {}

  /** The build stopped; {@code retriable} when another attempt may succeed (storage trouble, not bad input). */
  public record BuildFailed(int attempt, String reason, boolean retriable) implements BuildReport {}

  /** Sent to itself after recovery: go on with an interrupted build, or settle a finished job. */
  public record Resume() implements InternalCommand {}

  /** The pause after a retriable failure is over. */
  public record RetryDue(int attempt) implements InternalCommand {}

  /** Writes the read-side rows of the current state (idempotent), then answers {@code replyTo} if any. */
  public record SyncRows(Optional<ActorRef<DownloadCommands.Reply>> replyTo) implements InternalCommand {}

  /** The rows of {@link SyncRows} are written, or {@code error} says why not (then they are written again). */
  public record RowsSynced(Optional<ActorRef<DownloadCommands.Reply>> replyTo, Optional<String> error)
      implements InternalCommand {}
}
