package io.entrabackup.cluster.download.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.download.internal.ExportFiles.ExportFile;
import io.entrabackup.cluster.snapshot.PackedState;
import io.entrabackup.cluster.snapshot.StoredVersion;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * A download's ZIP as a byte stream: one JSON file per exported version (its SHA-256 into the
 * manifest), then {@code manifest.json}, the central directory and the end records. The tail is built
 * only once the last file is in (lazily concatenated), since it needs the counts and offsets.
 */
public final class ZipOfFiles {

  private ZipOfFiles() {}

  /** One file ready for framing: compressed, hashed. */
  private record Prepared(ExportFile file, ZipStream.Compressed compressed, String sha256) {}

  /**
   * @param cpu where files are serialized, hashed and deflated, {@code parallelism} at once (in order)
   * @param head the manifest's description, asked for after the last file
   */
  public static Source<ByteString, NotUsed> of(Source<ExportFile, NotUsed> files, ZipStream zip, Manifest manifest,
      int level, Executor cpu, int parallelism, Supplier<ObjectNode> head) {
    Source<ByteString, NotUsed> entries = files
        // A file shipped as stored costs next to nothing: prepared in line, not handed to another thread and back.
        .mapAsync(parallelism, file -> file.version().references().isEmpty()
            ? CompletableFuture.completedFuture(prepare(file, level))
            : CompletableFuture.supplyAsync(() -> prepare(file, level), cpu))
        .map(prepared -> {
          StoredVersion snapshot = prepared.file().version();
          manifest.add(prepared.file().path(), prepared.file().type(), snapshot.objectId(), snapshot.versionId(),
              snapshot.runId(), snapshot.capturedAt(), snapshot.removedReason(), prepared.compressed().size(),
              prepared.sha256());
          return zip.add(prepared.compressed());
        });
    Source<ByteString, NotUsed> tail = Source.lazySource(() ->
            zip.addStreamed(Manifest.PATH, manifest.content(head.get()))
                .concatLazy(Source.lazySource(zip::finish)))
        .mapMaterializedValue(ignored -> NotUsed.getInstance());
    return entries.concatLazy(tail);
  }

  /**
   * An object's file: its state exactly as stored (Graph's shape; members and owners as references). An object without
   * members or owners is its stored canonical text, which the store keeps raw-deflated with its CRC-32 and length
   * ({@code PackedState}): that is the ZIP entry as is, and its SHA-256 is kept (sealed) with it, so most files of a
   * download cost neither compressing nor hashing. Files with members or owners are spliced, deflated and hashed
   * here. (DownloadIT checks every file against its manifest hash.)
   */
  private static Prepared prepare(ExportFile file, int level) {
    StoredVersion version = file.version();
    if (version.references().isEmpty()) {
      PackedState packed = version.properties();
      return new Prepared(file, new ZipStream.Compressed(file.path(), packed.crc32Value(), packed.length(),
          ByteString.fromArrayUnsafe(packed.deflated())), packed.sha256Hex());
    }
    byte[] json = StateJson.of(version);
    return new Prepared(file, ZipStream.compress(file.path(), json, level), sha256(json));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
