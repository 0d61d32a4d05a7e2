package io.entrabackup.cluster.download.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * Re-cuts a byte stream into chunks of exactly {@code size} bytes (the last one shorter), numbered
 * from 0, so that byte offset {@code o} lives in chunk {@code o / size}. Holds at most one chunk plus
 * one incoming element.
 */
public final class FixedChunks {

  /** One stored piece of a file. */
  public record Chunk(long index, ByteString data) {}

  private record Pending(ByteString buffer, long next) {}

  private FixedChunks() {}

  public static Flow<ByteString, Chunk, NotUsed> of(int size) {
    return Flow.<ByteString>create()
        .statefulMap(
            () -> new Pending(ByteString.emptyByteString(), 0),
            (pending, bytes) -> cut(pending, bytes, size),
            pending -> pending.buffer().isEmpty()
                ? Optional.of(List.<Chunk>of())
                : Optional.of(List.of(new Chunk(pending.next(), pending.buffer().compact()))))
        .mapConcat(chunks -> chunks);
  }

  private static Pair<Pending, List<Chunk>> cut(Pending pending, ByteString bytes, int size) {
    ByteString buffer = pending.buffer().concat(bytes);
    long next = pending.next();
    List<Chunk> full = new ArrayList<>();
    while (buffer.size() >= size) {
      full.add(new Chunk(next++, buffer.take(size).compact()));
      buffer = buffer.drop(size);
    }
    return Pair.create(new Pending(buffer, next), full);
  }
}
