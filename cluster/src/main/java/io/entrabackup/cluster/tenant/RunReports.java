package io.entrabackup.cluster.tenant;

import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantInternal.InternalCommand;
import io.entrabackup.protocol.tenant.TenantInternal.RunReportRecorded;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.Patterns;

/**
 * How a run (a backup or a restore, a child of its tenant entity) tells the entity something it must persist before
 * the run goes on: ask; when no answer comes within the ask timeout, ask again after a pause that grows; give up after
 * {@link #ATTEMPTS} asks. Asking again is safe: the entity records a report once and answers a repeated one, or one
 * of a run it closed already, without persisting anything (so asks still under way when their run stopped do no
 * harm either). A run that gives up stops; its entity resumes it when it restarts.
 */
public final class RunReports {

  /** Asks per report: the entity is a local parent, so five unanswered asks mean its journal is down. */
  public static final int ATTEMPTS = 5;
  // Pauses between asks: short (the ask timeout already waited), growing so a struggling journal gets air.
  private static final Duration MIN_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final double RANDOM_FACTOR = 0.2;

  private final ActorSystem<?> system;
  private final ActorRef<TenantCommands.Command> tenant;
  private final Duration askTimeout;

  public RunReports(ActorSystem<?> system, ActorRef<TenantCommands.Command> tenant, Duration askTimeout) {
    this.system = system;
    this.tenant = tenant;
    this.askTimeout = askTimeout;
  }

  /** Completes once the entity has recorded the report; fails with the last ask's error after {@link #ATTEMPTS}. */
  public CompletionStage<RunReportRecorded> send(
      Function<ActorRef<RunReportRecorded>, ? extends InternalCommand> report) {
    return Patterns.retry(
        () -> AskPattern.<TenantCommands.Command, RunReportRecorded>ask(tenant, report::apply, askTimeout,
            system.scheduler()),
        ATTEMPTS - 1, MIN_BACKOFF, MAX_BACKOFF, RANDOM_FACTOR, system);
  }
}
