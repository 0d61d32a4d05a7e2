package io.entrabackup.node;

import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.entrabackup.cluster.approval.FourEyesRules;
import io.entrabackup.cluster.download.DownloadJobEntity;
import io.entrabackup.cluster.download.Downloads;
import io.entrabackup.cluster.tenant.TenantSettings;
import io.entrabackup.cluster.job.JobStore;
import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.http.download.DownloadClient;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.download.ContentAccess;
import io.entrabackup.protocol.download.DownloadAccess;
import io.entrabackup.protocol.download.DownloadCommands;
import io.entrabackup.protocol.download.DownloadScope;
import io.entrabackup.protocol.download.DownloadSpec;
import io.entrabackup.protocol.download.TenantLabel;
import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.protocol.tenant.TenantView;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The download routes' view of the cluster: the tenant entity says whose tenant it is, the snapshot
 * store and jobs read model check the object, version or run asked for, then the job entity starts.
 */
final class ClusterDownloadClient implements DownloadClient {

  private final TenantOwnership ownership;
  private final Downloads downloads;
  private final SnapshotStore snapshots;
  private final JobStore jobs;
  private final ClusterJobClient jobViews;
  /** Four-eyes: the rule, and what asks a job entity directly (a waiting job's start); absent in a plain setup. */
  private final Optional<FourEyesRules> fourEyes;
  private final Optional<ClusterSharding> sharding;
  private final Duration askTimeout;

  ClusterDownloadClient(TenantOwnership ownership, Downloads downloads, SnapshotStore snapshots, JobStore jobs,
      ClusterJobClient jobViews) {
    this(ownership, downloads, snapshots, jobs, jobViews, Optional.empty(), Optional.empty(), Duration.ZERO);
  }

  /** With {@code fourEyes}, a download the account's rule makes wait is created awaiting a second key's approval. */
  ClusterDownloadClient(TenantOwnership ownership, Downloads downloads, SnapshotStore snapshots, JobStore jobs,
      ClusterJobClient jobViews, ActorSystem<?> system, FourEyesRules fourEyes) {
    this(ownership, downloads, snapshots, jobs, jobViews, Optional.of(fourEyes),
        Optional.of(ClusterSharding.get(system)), TenantSettings.create(system).askTimeout());
  }

  private ClusterDownloadClient(TenantOwnership ownership, Downloads downloads, SnapshotStore snapshots,
      JobStore jobs, ClusterJobClient jobViews, Optional<FourEyesRules> fourEyes,
      Optional<ClusterSharding> sharding, Duration askTimeout) {
    this.fourEyes = fourEyes;
    this.sharding = sharding;
    this.askTimeout = askTimeout;
    this.ownership = ownership;
    this.downloads = downloads;
    this.snapshots = snapshots;
    this.jobs = jobs;
    this.jobViews = jobViews;
  }

  @Override
  public CompletionStage<Outcome> start(AccountId account, TenantId tenant, DownloadSpec spec) {
    return start(account, Optional.empty(), tenant, spec, Optional.empty());
  }

  @Override
  public CompletionStage<Outcome> start(Caller caller, TenantId tenant, DownloadSpec spec) {
    return start(caller.account(), Optional.of(caller.keyId()), tenant, spec, Optional.empty());
  }

  @Override
  public CompletionStage<Outcome> start(Caller caller, TenantId tenant, DownloadSpec spec, String requestId) {
    return start(caller.account(), Optional.of(caller.keyId()), tenant, spec, Optional.of(requestId));
  }

  private CompletionStage<Outcome> start(AccountId account, Optional<String> keyId, TenantId tenant,
      DownloadSpec spec, Optional<String> requestId) {
    return ownership.tenant(account, tenant).thenCompose(view -> view.isEmpty()
        ? done(new Outcome.NotFound("No such tenant in this account"))
        // A disputed directory's data is nobody's to take until one tenant proves it (cluster/CONSENT.md).
        : view.get().status() == TenantStatus.DIRECTORY_DISPUTED
        ? done(new Outcome.Refused("Tenant " + tenant + " cannot be downloaded now: "
            + view.get().statusReason().orElse("its Microsoft directory is disputed")))
        : resolveRun(account, tenant, spec).thenCompose(resolved -> resolved.spec().isEmpty()
            ? done(resolved.problem().orElseThrow())
            : checkObject(tenant, resolved.spec().get()).thenCompose(missing -> missing.isPresent()
                ? done(missing.get())
                : startOrAwait(account, keyId, label(view.get()), resolved.spec().get(), requestId))));
  }

  /** The download builds at once, unless the account's four-eyes rule makes it wait for approval. */
  private CompletionStage<Outcome> startOrAwait(AccountId account, Optional<String> keyId, TenantLabel tenant,
      DownloadSpec spec, Optional<String> requestId) {
    if (fourEyes.isEmpty() || keyId.isEmpty()) {
      return startJob(account, tenant, spec, requestId);
    }
    return fourEyes.get().download(account, spec).thenCompose(waiting -> waiting.isEmpty()
        ? startJob(account, tenant, spec, requestId)
        : awaitApproval(account, keyId.get(), tenant, spec, waiting.get()));
  }

  private CompletionStage<Outcome> awaitApproval(AccountId account, String keyId, TenantLabel tenant,
      DownloadSpec spec, FourEyesRules.Waiting waiting) {
    String jobId = Uuids.timeBased().toString();
    return sharding.orElseThrow().entityRefFor(DownloadJobEntity.ENTITY_TYPE_KEY, jobId)
        .<DownloadCommands.Reply>ask(replyTo -> new DownloadCommands.StartAwaitingApproval(account, tenant, spec,
            keyId, waiting.reason(), waiting.window(), replyTo), askTimeout)
        .thenCompose(reply -> answered(account, jobId, reply));
  }

  private record Resolved(Optional<DownloadSpec> spec, Optional<Outcome> problem) {}

  /** A chosen backup run becomes its finish time: the directory exactly as that run left it. */
  private CompletionStage<Resolved> resolveRun(AccountId account, TenantId tenant, DownloadSpec spec) {
    if (spec.runId().isEmpty()) {
      return CompletableFuture.completedFuture(new Resolved(Optional.of(spec), Optional.empty()));
    }
    String runId = spec.runId().get();
    return jobs.get(account, runId).thenApply(job -> job
        .filter(found -> found.kind() == JobKind.BACKUP && found.tenantId().equals(tenant.value()))
        .map(found -> found.state() == JobState.COMPLETED && found.finishedAt().isPresent()
            ? new Resolved(Optional.of(spec.withAsOf(found.finishedAt().get(), Optional.of(runId))), Optional.empty())
            : new Resolved(Optional.empty(), Optional.of(new Outcome.Invalid(
                "backup " + runId + " did not complete; choose a completed backup or an asOf time"))))
        .orElseGet(() -> new Resolved(Optional.empty(),
            Optional.of(new Outcome.NotFound("No backup " + runId + " of this tenant")))));
  }

  private CompletionStage<Optional<Outcome>> checkObject(TenantId tenant, DownloadSpec spec) {
    if (spec.scope() != DownloadScope.OBJECT) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    var type = spec.type().orElseThrow();
    String objectId = spec.objectId().orElseThrow();
    var read = spec.versionId().isPresent()
        ? snapshots.version(tenant, type, objectId, spec.versionId().get())
        : snapshots.latest(tenant, type, objectId);
    return read.thenApply(found -> found.isPresent()
        ? Optional.empty()
        : Optional.of(new Outcome.NotFound(spec.versionId().isPresent()
            ? "No version " + spec.versionId().get() + " of " + type.apiName() + " object " + objectId
            : "No backed-up " + type.apiName() + " object " + objectId)));
  }

  private CompletionStage<Outcome> startJob(AccountId account, TenantLabel tenant, DownloadSpec spec,
      Optional<String> requestId) {
    String jobId = Uuids.timeBased().toString();
    return downloads.start(jobId, account, tenant, spec, requestId)
        .thenCompose(reply -> answered(account, jobId, reply));
  }

  private CompletionStage<Outcome> answered(AccountId account, String jobId, DownloadCommands.Reply reply) {
    if (reply instanceof DownloadCommands.Rejected rejected) {
      return done(new Outcome.Invalid(rejected.reason()));
    }
    return jobViews.get(account, jobId).thenApply(view -> view
        .<Outcome>map(Outcome.Started::new)
        .orElseThrow(() -> new IllegalStateException("download job " + jobId + " has no System Status row")));
  }

  private static TenantLabel label(TenantView view) {
    return new TenantLabel(view.id(), view.displayName(), view.entraTenantId(), view.organizationName());
  }

  @Override
  public CompletionStage<ContentAccess> open(String jobId, long expires, String signature,
      Optional<AccountId> caller) {
    return downloads.open(jobId, expires, signature, caller);
  }

  @Override
  public Source<ByteString, NotUsed> content(ContentAccess.Granted file, long from, long to) {
    return downloads.content(file, from, to);
  }

  @Override
  public CompletionStage<Done> audit(String jobId, DownloadAccess access) {
    return downloads.audit(jobId, access);
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
