package io.entrabackup.cluster.retention;

import io.entrabackup.cluster.audit.AuditTrail;
import io.entrabackup.cluster.job.JobsByAccount;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.audit.AuditAction;
import io.entrabackup.protocol.audit.AuditOutcome;
import io.entrabackup.protocol.audit.NewAuditRecord;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobState;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * The end of a pass as the operator sees it: its audit record ({@code retention.run}, with its figures) first, then
 * its job row's end. A crash between them repeats the pass's end when it is resumed: a repeated record, never a lost
 * one.
 */
final class RetentionRecords {

  private RetentionRecords() {}

  static CompletionStage<Done> ended(AuditTrail audit, JobsByAccount jobs, Clock clock, PassRecord pass,
      RetentionPass.Outcome outcome) {
    Instant now = clock.instant();
    Map<String, String> target = new HashMap<>(outcome.figures().asTarget());
    target.put("tenant", pass.tenantId());
    target.put("job", pass.jobId().toString());
    target.put("keepDays", Integer.toString(pass.keepDays()));
    target.put("cutoff", pass.cutoff().toString());
    outcome.deferred().ifPresent(why -> target.put("deferred", why));
    AuditOutcome result = outcome.failed() ? AuditOutcome.FAILED
        : outcome.deferred().isPresent() ? AuditOutcome.REFUSED : AuditOutcome.SUCCESS;
    NewAuditRecord record = new NewAuditRecord(pass.accountId(), now, Optional.empty(), Optional.empty(),
        Optional.empty(), AuditAction.RETENTION_RUN, target, result, 0);
    JobState state = outcome.failed() || outcome.deferred().isPresent() ? JobState.FAILED : JobState.COMPLETED;
    Optional<String> error = outcome.failed() ? Optional.of("The retention pass failed; the next pass resumes it")
        : outcome.deferred().map(why -> "Deferred: " + why + "; nothing more is pruned until the next pass");
    JobsByAccount.Ending ending = new JobsByAccount.Ending(state, now, error, Optional.empty(), Optional.empty(),
        outcome.figures().asProgress());
    return audit.append(record)
        .thenCompose(entry -> jobs.ended(JobKind.RETENTION, new AccountId(pass.accountId()),
            pass.jobId().toString(), ending));
  }
}
