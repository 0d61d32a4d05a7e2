package io.entrabackup.cluster.snapshot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.snapshot.internal.ChunkedReferences;
import io.entrabackup.cluster.snapshot.internal.ContentHash;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A full state's content hash and the chunk ids of its reference sets, computed as the store computes them when it
 * writes the state: what a file of a download is checked against offline (cluster/HISTORY.md).
 */
public record StateHash(String contentHash, Map<String, List<String>> chunkIds) {

  /** @param fullState an object's JSON as a download holds it (members and owners as arrays of references) */
  public static StateHash of(ObjectNode fullState) {
    StoredState state = StoredState.of(fullState);
    ChunkedReferences chunks = new ChunkedReferences(state.references(), Set.of());
    while (chunks.nextToWrite() != null) {
      // Drained only for its chunk ids: nothing is written.
    }
    return new StateHash(ContentHash.of(CanonicalJson.canonicalBytes(state.properties()), chunks.chunkIds()),
        chunks.chunkIds());
  }
}
