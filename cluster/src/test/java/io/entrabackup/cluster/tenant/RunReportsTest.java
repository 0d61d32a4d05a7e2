package io.entrabackup.cluster.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantInternal;
import io.entrabackup.protocol.tenant.TenantInternal.RunReportRecorded;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A run's report reaches its entity even when the entity does not answer at once, or is given up after five asks. */
class RunReportsTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration ASK_TIMEOUT = Duration.ofMillis(100);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** An entity that leaves the first {@code unanswered} reports unanswered (its journal is slow), then records. */
  private static ActorRef<TenantCommands.Command> entityAnsweringAfter(int unanswered, AtomicInteger asked) {
    return testKit.spawn(Behaviors.receive(TenantCommands.Command.class)
        .onMessage(TenantInternal.BackupFinished.class, report -> {
          if (asked.incrementAndGet() > unanswered) {
            report.replyTo().tell(new RunReportRecorded(report.runId()));
          }
          return Behaviors.same();
        })
        .build());
  }

  @Test
  void aReportTheEntityDidNotAnswerIsSentAgainUntilItIsRecorded() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    var reports = new RunReports(testKit.system(), entityAnsweringAfter(2, asked), ASK_TIMEOUT);

    var recorded = reports.send(replyTo -> new TenantInternal.BackupFinished("run-1", Map.of(), replyTo))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertEquals(new RunReportRecorded("run-1"), recorded);
    assertEquals(3, asked.get());
  }

  @Test
  void aReportIsGivenUpAfterFiveUnansweredAsks() {
    AtomicInteger asked = new AtomicInteger();
    var reports = new RunReports(testKit.system(), entityAnsweringAfter(Integer.MAX_VALUE, asked), ASK_TIMEOUT);

    var failed = assertThrows(ExecutionException.class, () -> reports.send(
        replyTo -> new TenantInternal.BackupFinished("run-1", Map.of(), replyTo))
        .toCompletableFuture().get(30, TimeUnit.SECONDS));

    assertEquals(TimeoutException.class, failed.getCause().getClass(), failed.toString());
    assertEquals(RunReports.ATTEMPTS, asked.get());
  }
}
