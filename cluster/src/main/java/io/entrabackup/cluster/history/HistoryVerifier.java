package io.entrabackup.cluster.history;

import com.datastax.oss.driver.api.core.CqlSession;
import io.entrabackup.cluster.snapshot.StoredLinks;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.history.HistoryFinding;
import io.entrabackup.protocol.history.HistoryProblem;
import io.entrabackup.protocol.history.HistoryProgress;
import io.entrabackup.protocol.history.HistoryReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Verifies a tenant's stored history (cluster/HISTORY.md): every type, every object ever stored, every version, as a
 * stream of findings (each problem as found, progress every {@value #PROGRESS_EVERY} objects, the figures last).
 * Memory holds one page of objects and the versions of at most {@code parallelism} objects at a time, so a tenant of
 * any size is walked in constant memory. Read-only; runs beside backups (a version written meanwhile is either seen
 * whole or not at all: its row and its latest row are each one write).
 */
public final class HistoryVerifier {

  /** Objects between two progress findings: a long walk shows it is alive (and keeps an HTTP stream busy). */
  static final int PROGRESS_EVERY = 1000;

  private final StoredLinks rows;
  private final int parallelism;

  /** @param session as the node's Cassandra session gives it ({@code CassandraSession::underlying}) */
  public HistoryVerifier(Supplier<CompletionStage<CqlSession>> session, String keyspace, int parallelism) {
    this.rows = new StoredLinks(session, keyspace);
    this.parallelism = parallelism;
  }

  /** The findings of one walk of the tenant; each materialization walks it again. */
  public Source<HistoryFinding, NotUsed> verify(TenantId tenant) {
    return Source.lazySource(() -> walk(tenant)).mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  private Source<HistoryFinding, NotUsed> walk(TenantId tenant) {
    HistoryTally tally = new HistoryTally(tenant);
    return Source.from(ObjectType.inBackupOrder())
        .flatMapConcat(type -> rows.objects(tenant, type)
            .mapAsync(parallelism, head -> rows.versions(tenant, type, head.objectId())
                .thenApply(versions -> ObjectHistory.check(type.apiName(), head.objectId(), versions.oldestFirst(),
                    versions.horizon(), head.versionId(), tenant.value())))
            .mapConcat(verdict -> findings(tally, type, verdict)))
        // concatLazy: the figures are read once the walk is over (concat would pull the last element first).
        .concatLazy(Source.lazySingle(tally::report));
  }

  private static List<HistoryFinding> findings(HistoryTally tally, ObjectType type, ObjectHistory.Verdict verdict) {
    long objects = tally.add(verdict);
    List<HistoryFinding> findings = new ArrayList<>(verdict.problems());
    if (objects % PROGRESS_EVERY == 0) {
      findings.add(new HistoryProgress(type.apiName(), objects));
    }
    return findings;
  }

  /** The running figures of one walk (used by one stream at a time). */
  private static final class HistoryTally {
    private final TenantId tenant;
    private long objects;
    private long versions;
    private long chained;
    private long unchained;
    private long horizons;
    private long breaks;
    private long gaps;

    HistoryTally(TenantId tenant) {
      this.tenant = tenant;
    }

    long add(ObjectHistory.Verdict verdict) {
      objects++;
      versions += verdict.versions();
      chained += verdict.chained();
      unchained += verdict.unchained();
      horizons += verdict.fromHorizon() ? 1 : 0;
      verdict.problems().forEach(problem -> {
        if (problem.kind().equals(HistoryProblem.GAP)) {
          gaps++;
        } else {
          breaks++;
        }
      });
      return objects;
    }

    HistoryReport report() {
      return new HistoryReport(tenant.value(), objects, versions, chained, unchained, horizons, breaks, gaps,
          breaks == 0 && gaps == 0);
    }
  }
}
