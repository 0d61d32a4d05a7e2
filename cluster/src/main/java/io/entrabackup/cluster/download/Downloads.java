package io.entrabackup.cluster.download;

import io.entrabackup.cluster.crypto.TenantCipher;
import io.entrabackup.cluster.crypto.TenantKeyring;
import io.entrabackup.cluster.download.DownloadStore.PublishedFile;
import io.entrabackup.cluster.download.DownloadStore.StoredJob;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.download.ContentAccess;
import io.entrabackup.protocol.download.ContentAccess.Denied;
import io.entrabackup.protocol.download.ContentAccess.Granted;
import io.entrabackup.protocol.download.DownloadAccess;
import io.entrabackup.protocol.download.DownloadCommands;
import io.entrabackup.protocol.download.DownloadInternal;
import io.entrabackup.protocol.download.DownloadSpec;
import io.entrabackup.protocol.download.DownloadView;
import io.entrabackup.protocol.download.TenantLabel;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * What the rest of the node does with downloads: start a job (through its entity), describe it for
 * System Status, and serve its signed link from any node (from Cassandra, no entity involved).
 */
public final class Downloads {

  /** Chunks read ahead while streaming content. */
  private static final int CHUNK_READ_AHEAD = 2;
  /** Accesses shown with one job. */
  private static final int ACCESSES_SHOWN = 50;

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final DownloadStore store;
  private final DownloadLinks links;
  private final DownloadSettings settings;
  private final Clock clock;

  public Downloads(ActorSystem<?> system, DownloadStore store, DownloadLinks links, DownloadSettings settings,
      Clock clock) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.store = store;
    this.links = links;
    this.settings = settings;
    this.clock = clock;
  }

  /** Starts download job {@code jobId} (a time-based UUID); the tenant's ownership is checked by the caller. */
  public CompletionStage<DownloadCommands.Reply> start(String jobId, AccountId account, TenantLabel tenant,
      DownloadSpec spec) {
    return start(jobId, account, tenant, spec, java.util.Optional.empty());
  }

  /** {@link #start} for the HTTP request {@code requestId}, which the job keeps. */
  public CompletionStage<DownloadCommands.Reply> start(String jobId, AccountId account, TenantLabel tenant,
      DownloadSpec spec, java.util.Optional<String> requestId) {
    return sharding.entityRefFor(DownloadJobEntity.ENTITY_TYPE_KEY, jobId)
        .ask(replyTo -> new DownloadCommands.Start(account, tenant, spec, replyTo, requestId), settings.askTimeout());
  }

  /** Brings a job's entity up (recovering it resumes an interrupted build); see {@link DownloadInternal.Wake}. */
  public void wake(String jobId) {
    sharding.entityRefFor(DownloadJobEntity.ENTITY_TYPE_KEY, jobId).tell(new DownloadInternal.Wake());
  }

  /** A download job's details for System Status; empty when the job is not (or no longer) known. */
  public CompletionStage<Optional<DownloadView>> view(String jobId, boolean withAccesses) {
    CompletionStage<Optional<StoredJob>> job = store.job(jobId);
    CompletionStage<Optional<PublishedFile>> file = store.file(jobId);
    CompletionStage<List<DownloadAccess>> accesses = withAccesses
        ? store.accesses(jobId, ACCESSES_SHOWN)
        : CompletableFuture.completedFuture(List.of());
    return job.thenCombine(file, (j, f) -> j.map(found -> view(found, f)))
        .thenCombine(accesses, (view, list) -> withAccesses ? view.map(v -> v.withAccesses(list)) : view);
  }

  private DownloadView view(StoredJob job, Optional<PublishedFile> file) {
    DownloadSpec spec = job.spec();
    Optional<PublishedFile> live = file.filter(f -> clock.instant().isBefore(f.expiresAt()));
    return new DownloadView(spec.scope(), spec.type(), spec.objectId(), spec.versionId(),
        Optional.of(spec.asOf().orElse(job.requestedAt())), spec.runId(), spec.includeDeleted(),
        file.map(PublishedFile::fileName), file.map(f -> f.file().sizeBytes()), file.map(f -> f.file().sha256()),
        live.map(f -> links.link(job.jobId(), job.account(), f.expiresAt())), file.map(PublishedFile::expiresAt),
        file.map(f -> f.file().countsByType()).orElse(Map.of()), Optional.empty());
  }

  /**
   * Checks a content link: 404 for an unknown job, 403 when the signature does not match (tampered, or
   * made for another account) or an API key of another account came with it, 410 once expired.
   */
  public CompletionStage<ContentAccess> open(String jobId, long expires, String signature,
      Optional<AccountId> caller) {
    return store.job(jobId).thenCompose(job -> {
      if (job.isEmpty()) {
        return done(new Denied(404, "Not found", "No download " + jobId));
      }
      AccountId owner = job.get().account();
      if (!links.verify(jobId, owner, expires, signature)) {
        return done(new Denied(403, "Forbidden", "This download link is not valid: it was altered or is not ours"));
      }
      if (caller.isPresent() && !caller.get().equals(owner)) {
        return done(new Denied(403, "Forbidden", "This download link belongs to another account"));
      }
      if (clock.instant().getEpochSecond() >= expires) {
        return done(new Denied(410, "Gone", "This download link expired at " + Instant.ofEpochSecond(expires)
            + "; start a new download"));
      }
      return store.file(jobId).thenApply(file -> file
          .filter(f -> f.expiresAt().getEpochSecond() == expires)
          .<ContentAccess>map(f -> new Granted(jobId, f.fileName(), f.file().sizeBytes(), f.file().sha256(),
              f.publishedAt(), f.file().build(), f.file().chunkSize()))
          .orElseGet(() -> new Denied(410, "Gone", "This download is no longer stored; start a new download")));
    });
  }

  /** Bytes {@code from} (inclusive) to {@code to} (exclusive) of a granted file, reading only the chunks they lie in. */
  public Source<ByteString, NotUsed> content(Granted file, long from, long to) {
    if (from >= to) {
      return Source.empty();
    }
    // Chunks are sealed under the tenant's data key: the job names the tenant, whose cipher opens them one by one.
    CompletionStage<TenantCipher> cipher = store.job(file.jobId()).thenCompose(job -> TenantKeyring.get(system)
        .cipherFor(job.orElseThrow(() -> new IllegalStateException("download " + file.jobId() + " is not stored"))
            .tenant().value()));
    return Source.completionStageSource(cipher.thenApply(opener -> chunks(file, from, to, opener)))
        .mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  private Source<ByteString, NotUsed> chunks(Granted file, long from, long to, TenantCipher cipher) {
    long size = file.chunkSize();
    long last = (to - 1) / size;
    return Source.unfold(from / size, index -> index <= last
            ? Optional.of(Pair.create(index + 1, index))
            : Optional.<Pair<Long, Long>>empty())
        .mapAsync(CHUNK_READ_AHEAD, index -> store.readChunk(file.jobId(), file.build(), index)
            .thenApply(sealed -> slice(ByteString.fromArrayUnsafe(cipher.open(sealed.toArray(),
                DownloadStore.chunkAad(file.jobId(), file.build(), index))), index * size, from, to)));
  }

  private static ByteString slice(ByteString chunk, long chunkStart, long from, long to) {
    int start = (int) Math.max(0, from - chunkStart);
    int end = (int) Math.min(chunk.size(), to - chunkStart);
    return chunk.slice(start, end);
  }

  /** Records who fetched a download (before any byte is sent). */
  public CompletionStage<Done> audit(String jobId, DownloadAccess access) {
    return store.recordAccess(jobId, access, settings.auditRetention());
  }

  private static CompletionStage<ContentAccess> done(ContentAccess access) {
    return CompletableFuture.completedFuture(access);
  }
}
