package io.entrabackup.cluster.download;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.crypto.TenantCipher;
import io.entrabackup.cluster.crypto.TenantKeyring;
import io.entrabackup.cluster.download.internal.ExportFiles;
import io.entrabackup.cluster.download.internal.ExportFiles.ExportFile;
import io.entrabackup.cluster.download.internal.FixedChunks;
import io.entrabackup.cluster.download.internal.FixedChunks.Chunk;
import io.entrabackup.cluster.download.internal.Manifest;
import io.entrabackup.cluster.download.internal.ZipOfFiles;
import io.entrabackup.cluster.download.internal.ZipStream;
import io.entrabackup.cluster.metrics.NodeMetrics;
import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.download.BuiltFile;
import io.entrabackup.protocol.download.DownloadEvents.DownloadRequested;
import io.entrabackup.protocol.download.DownloadScope;
import io.entrabackup.protocol.download.DownloadSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one download's ZIP as a single Pekko Stream: object versions from the snapshot store, each
 * turned into its Graph-shaped JSON file (SHA-256 into the manifest), deflated into the ZIP, the ZIP
 * cut into fixed-size chunks sealed under the tenant's data key and stored in Cassandra with a TTL (the
 * published size and SHA-256 are the plaintext ZIP's, what the user receives). Memory holds one chunk, one file and the
 * reads in flight; the central directory and manifest lines go to a local spool that is streamed back
 * at the end and deleted. The result is what may be published: nothing is until every chunk is stored.
 */
public final class DownloadBuilder {

  private static final Logger log = LoggerFactory.getLogger(DownloadBuilder.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Identifies the manifest's layout; raised when it changes incompatibly. */
  static final String MANIFEST_FORMAT = "entra-backup-download/1";

  private final ActorSystem<?> system;
  private final SnapshotStore snapshots;
  private final DownloadStore store;
  private final DownloadJobRows rows;
  private final DownloadSettings settings;
  private final DownloadBuildSlots slots;
  private final Clock clock;
  private final Executor cpu;

  /** A build under way: its outcome, and the way to stop it. */
  public record Running(CompletionStage<BuiltFile> result, SharedKillSwitch killSwitch, Runnable giveUpSlot) {
    public void abort() {
      giveUpSlot.run();
      killSwitch.abort(new IllegalStateException("the build was stopped"));
    }
  }

  public DownloadBuilder(ActorSystem<?> system, SnapshotStore snapshots, DownloadStore store, DownloadJobRows rows,
      DownloadSettings settings, DownloadBuildSlots slots, Clock clock) {
    this.system = system;
    this.snapshots = snapshots;
    this.store = store;
    this.rows = rows;
    this.settings = settings;
    this.slots = slots;
    this.clock = clock;
    this.cpu = system.dispatchers().lookup(DispatcherSelector.fromConfig(DownloadSettings.DISPATCHER));
  }

  /**
   * Starts the build once this node has a build slot for it ({@link DownloadBuildSlots}); until then the job shows
   * queued. Stopping it ({@link Running#abort()}) while it waits gives its place up.
   */
  public Running start(DownloadRequested job, int attempt) {
    SharedKillSwitch killSwitch = KillSwitches.shared("download-" + job.jobId() + "-" + attempt);
    AtomicBoolean stopped = new AtomicBoolean();
    DownloadBuildSlots.Slot slot = slots.acquire(job.account(), job.jobId());
    // The queued row is written before the started one, so the later write (last one wins) says running.
    CompletionStage<Done> queuedRow = slot.granted().toCompletableFuture().isDone()
        ? CompletableFuture.completedFuture(Done.getInstance())
        : rows.queued(job).exceptionally(error -> Done.getInstance());
    CompletionStage<BuiltFile> result = slot.granted()
        .thenCombine(queuedRow, (granted, written) -> granted)
        .thenCompose(granted -> {
          if (stopped.get()) {
            return CompletableFuture.<BuiltFile>failedFuture(new IllegalStateException("the build was stopped"));
          }
          rows.started(job, clock.instant()).whenComplete((done, error) -> {
            if (error != null) {
              log.debug("Start of download {} not recorded: {}", job.jobId(), error.toString());
            }
          });
          // The tenant's data key is loaded before the stream starts: every chunk is sealed with it as it is stored.
          return estimate(job).thenCompose(total -> TenantKeyring.get(system).cipherFor(job.tenant().id().value())
              .thenCompose(cipher -> build(job, attempt, total, killSwitch, cipher)));
        })
        .whenComplete((file, error) -> slot.release());
    return new Running(result, killSwitch, () -> {
      stopped.set(true);
      slot.release();
    });
  }

  /**
   * Objects the download will hold: the live counts of its types, exact as of their last backup milestone (counted
   * from the stored objects, see SnapshotStore#counts), so a tenant or type download as of now shows its true total from
   * the start; one as of an earlier time or with deleted objects differs by what changed since (its total is then
   * corrected to what was written when it is published).
   */
  private CompletionStage<Long> estimate(DownloadRequested job) {
    if (job.spec().scope() == DownloadScope.OBJECT) {
      return CompletableFuture.completedFuture(1L);
    }
    var types = new ExportFiles(snapshots, job.tenant().id(), job.spec(), job.requestedAt(), 1).types();
    return snapshots.counts(job.tenant().id())
        .thenApply(counts -> types.stream().mapToLong(type -> counts.getOrDefault(type, 0L)).sum());
  }

  private CompletionStage<BuiltFile> build(DownloadRequested job, int attempt, long total,
      SharedKillSwitch killSwitch, TenantCipher cipher) {
    Spool spool = Spool.create(settings.spoolDirectory(), job.jobId());
    try {
      ZipStream zip = spool.register(new ZipStream(spool.directory(), settings.compressionLevel(), job.requestedAt()));
      Manifest manifest = spool.register(new Manifest(spool.directory()));
      Instant asOf = job.spec().asOf().orElse(job.requestedAt());
      ExportFiles export = new ExportFiles(snapshots, job.tenant().id(), job.spec(), asOf, settings.readParallelism());
      export.types().forEach(manifest::expect);
      Progress progress = new Progress(job, total);
      // Each attempt writes a ZIP from its first object: the job shows this one's progress, not what an attempt on a
      // node that died had got to (its last progress row would otherwise stand until this attempt's first report).
      progress.report(0);

      Source<ByteString, NotUsed> zipBytes =
          ZipOfFiles.of(export.files().map(progress::written), zip, manifest, settings.compressionLevel(), cpu,
              settings.compressParallelism(), () -> head(job, asOf));

      CompletionStage<FileDigest> stored = zipBytes
          .via(killSwitch.flow())
          .idleTimeout(settings.idleTimeout())
          .via(FixedChunks.of(settings.chunkSize()))
          .mapAsync(settings.chunkWriteParallelism(), chunk -> store.writeChunk(job.jobId(), attempt, chunk.index(),
              seal(cipher, job.jobId(), attempt, chunk), settings.storageTtl()).thenApply(done -> chunk))
          .toMat(Sink.fold(new FileDigest(), FileDigest::add), org.apache.pekko.stream.javadsl.Keep.right())
          .withAttributes(ActorAttributes.dispatcher(DownloadSettings.DISPATCHER))
          .run(system);
      return stored
          .thenApply(digest -> new BuiltFile(attempt, digest.size, digest.hex(), settings.chunkSize(), digest.chunks,
              progress.count(), manifest.counts()))
          .whenComplete((file, error) -> spool.close())
          .thenApply(file -> {
            NodeMetrics.get(system).restoresAndDownloads().downloadBuilt(file.sizeBytes());
            return file;
          });
    } catch (IOException | RuntimeException e) {
      spool.close();
      return CompletableFuture.failedFuture(e);
    }
  }

  /** A chunk as stored: sealed under the tenant's data key for its place (job, build, chunk number). */
  private static ByteString seal(TenantCipher cipher, String jobId, int build, Chunk chunk) {
    return ByteString.fromArrayUnsafe(cipher.seal(chunk.data().toArray(), DownloadStore.chunkAad(jobId, build,
        chunk.index())));
  }

  private static ObjectNode head(DownloadRequested job, Instant asOf) {
    DownloadSpec spec = job.spec();
    ObjectNode head = JSON.createObjectNode();
    head.put("format", MANIFEST_FORMAT);
    ObjectNode tenant = head.putObject("tenant");
    tenant.put("id", job.tenant().id().value());
    tenant.put("displayName", job.tenant().displayName());
    job.tenant().entraTenantId().ifPresent(id -> tenant.put("entraTenantId", id));
    job.tenant().organizationName().ifPresent(name -> tenant.put("organizationName", name));
    ObjectNode scope = head.putObject("scope");
    scope.put("scope", spec.scope().apiName());
    spec.type().map(ObjectType::apiName).ifPresent(type -> scope.put("type", type));
    spec.objectId().ifPresent(id -> scope.put("objectId", id));
    spec.versionId().ifPresent(id -> scope.put("versionId", id));
    spec.runId().ifPresent(id -> scope.put("runId", id));
    scope.put("includeDeleted", spec.includeDeleted());
    scope.put("allVersions", spec.allVersions());
    head.put("asOf", asOf.toString());
    head.put("createdAt", job.requestedAt().toString());
    head.put("jobId", job.jobId());
    return head;
  }

  /** The ZIP's file name as a browser saves it: entra-backup-<tenant>-<scope>[-<type>]-<time>.zip (UTC). */
  public static String fileName(DownloadRequested job) {
    String time = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
        .withZone(java.time.ZoneOffset.UTC).format(job.requestedAt());
    String type = job.spec().type().map(t -> "-" + t.apiName()).orElse("");
    return "entra-backup-" + job.tenant().id().value().substring(0, 8) + "-" + job.spec().scope().apiName() + type
        + "-" + time + ".zip";
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Size, chunk count and SHA-256 of the stored file, folded over its chunks in order. */
  private static final class FileDigest {
    private final MessageDigest sha = digest();
    private long size;
    private long chunks;

    FileDigest add(Chunk chunk) {
      for (ByteBuffer part : chunk.data().getByteBuffers()) {
        sha.update(part);
      }
      size += chunk.data().size();
      chunks++;
      return this;
    }

    String hex() {
      return HexFormat.of().formatHex(sha.digest());
    }
  }

  /** Counts objects written and tells System Status now and then (never waiting for it). */
  private final class Progress {
    private final DownloadRequested job;
    private final long total;
    private final AtomicLong written = new AtomicLong();
    private final long intervalNanos = settings.progressInterval().toNanos();
    private long lastReport = System.nanoTime();

    Progress(DownloadRequested job, long total) {
      this.job = job;
      this.total = total;
    }

    ExportFile written(ExportFile file) {
      long count = written.incrementAndGet();
      long now = System.nanoTime();
      if (now - lastReport >= intervalNanos) {
        lastReport = now;
        report(count);
      }
      return file;
    }

    void report(long count) {
      rows.progress(job.account(), job.jobId(), count, total).whenComplete((done, error) -> {
        if (error != null) {
          log.debug("Progress of download {} not recorded: {}", job.jobId(), error.toString());
        }
      });
    }

    long count() {
      return written.get();
    }
  }

  /** A build's local spool directory and the writers using it, all removed when the build ends. */
  private record Spool(Path directory, java.util.List<AutoCloseable> resources) {
    static Spool create(Path parent, String jobId) {
      try {
        Files.createDirectories(parent);
        return new Spool(Files.createTempDirectory(parent, "download-" + jobId + "-"),
            new java.util.concurrent.CopyOnWriteArrayList<>());
      } catch (IOException e) {
        throw new UncheckedIOException("no spool directory for download " + jobId + " under " + parent, e);
      }
    }

    <T extends AutoCloseable> T register(T resource) {
      resources.add(resource);
      return resource;
    }

    void close() {
      for (AutoCloseable resource : resources) {
        try {
          resource.close();
        } catch (Exception e) {
          log.debug("Spool resource not closed: {}", e.toString());
        }
      }
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException e) {
        log.debug("Spool directory {} not removed: {}", directory, e.toString());
      }
    }
  }
}
