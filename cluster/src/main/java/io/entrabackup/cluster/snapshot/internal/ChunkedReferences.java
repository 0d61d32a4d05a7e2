package io.entrabackup.cluster.snapshot.internal;

import io.entrabackup.cluster.snapshot.ReferenceSet;
import io.entrabackup.cluster.snapshot.internal.ReferenceChunks.Chunk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A state's reference sets cut into chunks as they are written: each call hands out the next chunk the store does not
 * hold yet, so a large membership is serialized once, a chunk at a time. Once drained, it knows every set's chunk ids
 * (in order) and sizes. Used by one writer at a time.
 */
public final class ChunkedReferences {

  private final Iterator<Map.Entry<String, ReferenceSet>> relations;
  private final Set<String> stored;
  private final Set<String> handedOut = new HashSet<>();
  private final Map<String, List<String>> chunkIds = new LinkedHashMap<>();
  private final Map<String, Integer> sizes = new LinkedHashMap<>();
  private String relation;
  private Iterator<Chunk> chunks;
  private long reused;

  /** @param stored chunk ids the object's previous version holds (not written again) */
  public ChunkedReferences(Map<String, ReferenceSet> references, Set<String> stored) {
    this.relations = references.entrySet().iterator();
    this.stored = stored;
  }

  /** The chunk ids of {@code references}, computed without writing anything. */
  public static Set<String> idsOf(Map<String, ReferenceSet> references) {
    ChunkedReferences all = new ChunkedReferences(references, Set.of());
    while (all.nextToWrite() != null) {
      // drained for its ids
    }
    Set<String> ids = new HashSet<>();
    all.chunkIds.values().forEach(ids::addAll);
    return ids;
  }

  /** The next chunk to write, or null when every chunk has been seen. */
  public Chunk nextToWrite() {
    while (true) {
      while (chunks == null || !chunks.hasNext()) {
        if (!relations.hasNext()) {
          return null;
        }
        Map.Entry<String, ReferenceSet> next = relations.next();
        relation = next.getKey();
        chunks = ReferenceChunks.split(next.getValue().iterator());
        chunkIds.put(relation, new ArrayList<>());
        sizes.put(relation, next.getValue().size());
      }
      Chunk chunk = chunks.next();
      chunkIds.get(relation).add(chunk.id());
      if (stored.contains(chunk.id())) {
        reused++;
      } else if (handedOut.add(chunk.id())) {
        return chunk;
      }
    }
  }

  /** Chunk ids in order, per reference set the state has; complete once {@link #nextToWrite} returned null. */
  public Map<String, List<String>> chunkIds() {
    return chunkIds;
  }

  /** References per set. */
  public Map<String, Integer> sizes() {
    return sizes;
  }

  /** Chunks the previous version already held. */
  public long reused() {
    return reused;
  }
}
