package io.entrabackup.cluster.snapshot.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.entrabackup.cluster.snapshot.CanonicalJson;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a sorted reference set (members or owners) into content-defined chunks: a chunk ends after
 * a reference whose id hashes to 0 modulo {@link #AVERAGE_SIZE}, or at {@link #MAX_SIZE}. Because the
 * boundaries depend on the ids, not on positions, adding or removing one member changes only the
 * chunk holding it; every other chunk keeps its id and is reused by the next version.
 */
public final class ReferenceChunks {

  /** Expected references per chunk (a boundary is a 1 in AVERAGE_SIZE event per reference). */
  static final int AVERAGE_SIZE = 400;
  /** Hard limit of references per chunk row (about 70 KB of JSON). */
  public static final int MAX_SIZE = 1000;

  /** One chunk: its content-derived id and its JSON text (a canonical array of references). */
  public record Chunk(String id, String json, int size) {}

  private ReferenceChunks() {}

  /** Chunks of {@code references}, which must already be sorted by id (as SnapshotMerge leaves them). */
  public static List<Chunk> split(JsonNode references) {
    List<Chunk> chunks = new ArrayList<>();
    ArrayNode current = JsonNodeFactory.instance.arrayNode();
    for (JsonNode reference : references) {
      current.add(reference);
      if (current.size() >= MAX_SIZE || isBoundary(reference.path("id").asText(""))) {
        chunks.add(chunk(current));
        current = JsonNodeFactory.instance.arrayNode();
      }
    }
    if (!current.isEmpty()) {
      chunks.add(chunk(current));
    }
    return chunks;
  }

  private static Chunk chunk(ArrayNode references) {
    String json = CanonicalJson.canonical(references);
    // 128 bits of SHA-256 name a chunk within one object's partition: collisions are not a concern.
    return new Chunk(CanonicalJson.hash(references).substring(0, 32), json, references.size());
  }

  private static boolean isBoundary(String id) {
    // String.hashCode is specified by the JLS, so boundaries are stable across JVMs; mixed (murmur3
    // finalizer) because GUID strings' hash codes are not uniform in their low bits.
    int h = id.hashCode();
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return Integer.remainderUnsigned(h, AVERAGE_SIZE) == 0;
  }
}
