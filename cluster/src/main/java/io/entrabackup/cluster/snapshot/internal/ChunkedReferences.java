package io.entrabackup.cluster.snapshot.internal;

import io.entrabackup.cluster.crypto.TenantCipher;
import io.entrabackup.cluster.snapshot.ReferenceSet;
import io.entrabackup.cluster.snapshot.internal.ReferenceChunks.Chunk;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>A small set (at most {@link #INLINE_MAX_REFERENCES}) is kept in the version row itself ({@link #inline}) and
 * never written as chunk rows: most groups have a few dozen members, and a chunk row of its own cost them a second
 * write before the version's, and every download and restore a second read per group. Its chunk ids are still
 * computed, so the content hash does not depend on where a set is kept. Which sets are inline follows from their
 * sizes alone, so the previous version's stored chunks are known from its state ({@link #storedIdsOf}).
 */
public final class ChunkedReferences {

  /** Sets up to this many references (about 7 KB of JSON) live in the version row. */
  public static final int INLINE_MAX_REFERENCES = 100;

  private final Iterator<Map.Entry<String, ReferenceSet>> relations;
  private final Set<String> stored;
  private final TenantCipher cipher;
  private final Set<String> handedOut = new HashSet<>();
  private final Map<String, List<String>> chunkIds = new LinkedHashMap<>();
  private final Map<String, List<String>> inline = new LinkedHashMap<>();
  private final Map<String, Integer> sizes = new LinkedHashMap<>();
  private String relation;
  private Iterator<Chunk> chunks;
  private long reused;

  /**
   * @param stored chunk ids the object's previous version holds in chunk rows (not written again)
   * @param cipher the tenant's, whose hash key makes the chunk ids
   */
  public ChunkedReferences(Map<String, ReferenceSet> references, Set<String> stored, TenantCipher cipher) {
    this.relations = references.entrySet().iterator();
    this.stored = stored;
    this.cipher = cipher;
  }

  /** The ids of the chunk rows a state with {@code references} was stored with (its inline sets have none). */
  public static Set<String> storedIdsOf(Map<String, ReferenceSet> references, TenantCipher cipher) {
    // Inline sets are left out before cutting: their chunks would be serialized and hashed only to be dropped.
    Map<String, ReferenceSet> chunked = new LinkedHashMap<>();
    references.forEach((relation, set) -> {
      if (!keptInline(set)) {
        chunked.put(relation, set);
      }
    });
    if (chunked.isEmpty()) {
      return Set.of();
    }
    ChunkedReferences all = new ChunkedReferences(chunked, Set.of(), cipher);
    Set<String> ids = new HashSet<>();
    Chunk chunk;
    while ((chunk = all.nextToWrite()) != null) {
      ids.add(chunk.id());
    }
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
        chunks = ReferenceChunks.split(next.getValue().iterator(), cipher);
        chunkIds.put(relation, new ArrayList<>());
        sizes.put(relation, next.getValue().size());
        if (keptInline(next.getValue())) {
          keepInline();
        }
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

  /** Whether a set lives in the version row: by its size alone, so a stored state tells where its sets are. */
  static boolean keptInline(ReferenceSet set) {
    return set.size() <= INLINE_MAX_REFERENCES;
  }

  private void keepInline() {
    List<String> texts = new ArrayList<>();
    while (chunks.hasNext()) {
      Chunk chunk = chunks.next();
      chunkIds.get(relation).add(chunk.id());
      texts.add(new String(chunk.json(), StandardCharsets.UTF_8));
    }
    inline.put(relation, texts);
  }

  /** Chunk ids in order, per reference set the state has; complete once {@link #nextToWrite} returned null. */
  public Map<String, List<String>> chunkIds() {
    return chunkIds;
  }

  /** The chunk texts of the sets kept in the version row, in order (complete once drained). */
  public Map<String, List<String>> inline() {
    return inline;
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
