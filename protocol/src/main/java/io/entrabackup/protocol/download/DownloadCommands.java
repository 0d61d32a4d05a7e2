package io.entrabackup.protocol.download;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The commands a download job entity accepts from the API's side (addressed by job id) and its replies. What the
 * entity's own build, timers and side effects tell it is in {@link DownloadInternal}.
 */
public final class DownloadCommands {

  private DownloadCommands() {}

  /** Everything the entity accepts: {@link Start}, and the internal messages of {@link DownloadInternal}. */
  public sealed interface Command extends CborSerializable permits Start, DownloadInternal.InternalCommand {}

  /** Starts the job; answered {@link Accepted} once its System Status row exists (again for a repeat). */
  public record Start(AccountId account, TenantLabel tenant, DownloadSpec spec, ActorRef<Reply> replyTo)
      implements Command {}

  public sealed interface Reply extends CborSerializable permits Accepted, Rejected {}

  public record Accepted(String jobId) implements Reply {}

  public record Rejected(String reason) implements Reply {}
}
