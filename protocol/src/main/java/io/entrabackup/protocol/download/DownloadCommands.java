package io.entrabackup.protocol.download;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.CborSerializable;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The commands a download job entity accepts (addressed by job id) and its replies. Only {@link Start}
 * comes from outside; the rest are the entity's own build reports, timers and side-effect results.
 */
public final class DownloadCommands {

  private DownloadCommands() {}

  public sealed interface Command extends CborSerializable
      permits Start, Wake, BuildReport, Resume, RetryDue, SyncRows, RowsSynced {}

  /** Starts the job; answered {@link Accepted} once its System Status row exists (again for a repeat). */
  public record Start(AccountId account, TenantLabel tenant, DownloadSpec spec, ActorRef<Reply> replyTo)
      implements Command {}

  /**
   * Does nothing but bring the entity up: sent when System Status shows a job still running, so a job
   * whose node is gone resumes on recovery even if sharding did not restart it.
   */
  public record Wake() implements Command {}

  /** What the running build reports; a report of an older attempt is ignored. */
  public sealed interface BuildReport extends Command permits BuildSucceeded, BuildFailed {
    int attempt();
  }

  /** Every chunk of the ZIP is stored. */
  public record BuildSucceeded(int attempt, BuiltFile file) implements BuildReport {}

  /** The build stopped; {@code retriable} when another attempt may succeed (storage trouble, not bad input). */
  public record BuildFailed(int attempt, String reason, boolean retriable) implements BuildReport {}

  /** Sent to itself after recovery: go on with an interrupted build, or settle a finished job. */
  public record Resume() implements Command {}

  /** The pause after a retriable failure is over. */
  public record RetryDue(int attempt) implements Command {}

  /** Writes the read-side rows of the current state (idempotent), then answers {@code replyTo} if any. */
  public record SyncRows(Optional<ActorRef<Reply>> replyTo) implements Command {}

  public record RowsSynced(Optional<ActorRef<Reply>> replyTo, Optional<String> error) implements Command {}

  public sealed interface Reply extends CborSerializable permits Accepted, Rejected {}

  public record Accepted(String jobId) implements Reply {}

  public record Rejected(String reason) implements Reply {}
}
