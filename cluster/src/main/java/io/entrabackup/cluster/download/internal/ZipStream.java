package io.entrabackup.cluster.download.internal;

import io.entrabackup.cluster.download.internal.ZipRecords.DosTime;
import io.entrabackup.cluster.download.internal.ZipRecords.Entry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Compression;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * One ZIP written front to back as a stream, in memory bounded by one entry: each entry's bytes are
 * handed out as soon as they are made, and its central directory record goes to a spool file on local
 * disk, encrypted ({@link SpoolFile}) (about 100 bytes per entry) that {@link #finish()} streams back at the end. Not thread-safe: one
 * stream drives it, one element at a time.
 */
public final class ZipStream implements AutoCloseable {

  private static final int DEFLATE_BUFFER = 64 * 1024;
  private static final int SPOOL_BUFFER = 64 * 1024;

  private final int level;
  private final DosTime time;
  private final SpoolFile directorySpool;
  private final OutputStream directory;
  private long offset;
  private long entries;
  private long directorySize;

  /**
   * @param spoolDirectory where the central directory is spooled (deleted on {@link #close()})
   * @param modified the time every entry carries
   */
  public ZipStream(Path spoolDirectory, int level, Instant modified) throws IOException {
    this.level = level;
    this.time = DosTime.of(modified);
    this.directorySpool = SpoolFile.create(spoolDirectory, "zip-directory-");
    this.directory = new BufferedOutputStream(directorySpool.writer(), SPOOL_BUFFER);
  }

  /** Bytes written so far. */
  public long offset() {
    return offset;
  }

  public long entries() {
    return entries;
  }

  /** A file deflated ahead of framing, on any thread (entries compress in parallel; framing is sequential). */
  public record Compressed(String path, long crc, long size, ByteString data) {}

  /**
   * Deflates one file. Each calling thread keeps one deflater (a few hundred KB of native memory per
   * thread of the download dispatcher), since creating one per file costs more than compressing it.
   */
  public static Compressed compress(String path, byte[] content, int level) {
    Deflater deflater = DEFLATERS.get();
    deflater.reset();
    deflater.setLevel(level);
    deflater.setInput(content);
    deflater.finish();
    byte[] buffer = BUFFERS.get();
    ByteStringBuilder data = ByteString.createBuilder();
    while (!deflater.finished()) {
      int n = deflater.deflate(buffer);
      data.putBytes(buffer, 0, n);
    }
    CRC32 crc = new CRC32();
    crc.update(content);
    return new Compressed(path, crc.getValue(), content.length, data.result());
  }

  private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater(
      Deflater.DEFAULT_COMPRESSION, true));
  private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[DEFLATE_BUFFER]);

  /** A whole (small) file: its local header and deflated content. */
  public ByteString add(String path, byte[] content) {
    return add(compress(path, content, level));
  }

  /** A file compressed beforehand: its local header and data. */
  public ByteString add(Compressed file) {
    Entry entry = new Entry(name(file.path()), ZipRecords.FLAG_UTF8, file.crc(), file.data().size(), file.size(),
        offset);
    ByteString bytes = ZipRecords.localHeader(entry, time).concat(file.data());
    record(entry, bytes.size());
    return bytes;
  }

  /**
   * A file whose size is not known up front (the manifest), streamed through a deflater; its CRC and
   * sizes follow the data in a data descriptor. The returned source must run to completion before
   * anything else is added.
   */
  public Source<ByteString, NotUsed> addStreamed(String path, Source<ByteString, NotUsed> content) {
    Entry start = new Entry(name(path), ZipRecords.FLAG_UTF8 | ZipRecords.FLAG_DATA_DESCRIPTOR, 0, 0, 0, offset);
    ByteString header = ZipRecords.localHeader(start, time);
    CRC32 entryCrc = new CRC32();
    long[] sizes = new long[2];
    Source<ByteString, NotUsed> body = content
        .map(bytes -> {
          for (ByteBuffer part : bytes.getByteBuffers()) {
            entryCrc.update(part);
          }
          sizes[0] += bytes.size();
          return bytes;
        })
        .via(Compression.deflate(level, true))
        .map(bytes -> {
          sizes[1] += bytes.size();
          return bytes;
        });
    Source<ByteString, NotUsed> descriptor = Source.lazySingle(() -> {
      ByteString bytes = ZipRecords.dataDescriptor(entryCrc.getValue(), sizes[1], sizes[0]);
      Entry done = new Entry(start.name(), start.flags(), entryCrc.getValue(), sizes[1], sizes[0], start.offset());
      record(done, header.size() + sizes[1] + bytes.size());
      return bytes;
    }).mapMaterializedValue(ignored -> NotUsed.getInstance());
    return Source.single(header).concatLazy(body).concatLazy(descriptor);
  }

  /** The central directory and the end records: the last bytes of the ZIP. */
  public Source<ByteString, NotUsed> finish() {
    try {
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException("the ZIP's central directory spool could not be written", e);
    }
    long directoryOffset = offset;
    return directorySpool.content()
        .concatLazy(Source.lazySingle(() -> ZipRecords.end(entries, directoryOffset, directorySize))
            .mapMaterializedValue(ignored -> NotUsed.getInstance()));
  }

  @Override
  public void close() {
    try {
      directory.close();
    } catch (IOException ignored) {
      // Already closed by finish(), or the disk failed: the build fails on its own either way.
    }
    directorySpool.delete();
  }

  private void record(Entry entry, long bytesWritten) {
    byte[] central = ZipRecords.centralHeader(entry, time);
    try {
      directory.write(central);
    } catch (IOException e) {
      throw new UncheckedIOException("the ZIP's central directory spool could not be written", e);
    }
    directorySize += central.length;
    entries++;
    offset += bytesWritten;
  }

  private static byte[] name(String path) {
    return path.getBytes(StandardCharsets.UTF_8);
  }
}
