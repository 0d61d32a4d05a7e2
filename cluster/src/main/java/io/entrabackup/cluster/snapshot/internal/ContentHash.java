package io.entrabackup.cluster.snapshot.internal;

import io.entrabackup.cluster.snapshot.CanonicalJson;
import io.entrabackup.cluster.snapshot.References;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The content hash that decides whether a state changed: SHA-256 over the canonical form of the object's own
 * properties, followed, for each reference set it has (members, then owners), by the set's name and the ids of its
 * chunks in order. Chunk ids are hashes of the chunks' canonical content, so this changes exactly when the canonical
 * full state does, without serializing a large membership a second time. A state without reference sets hashes to
 * the SHA-256 of its canonical form.
 */
public final class ContentHash {

  private ContentHash() {}

  /** @param chunkIds chunk ids by reference set, only for the sets the state has (an empty set has none) */
  public static String of(byte[] canonicalProperties, Map<String, List<String>> chunkIds) {
    MessageDigest digest = CanonicalJson.sha256();
    digest.update(canonicalProperties);
    for (String relation : References.PROPERTIES) {
      List<String> ids = chunkIds.get(relation);
      if (ids != null) {
        // A newline never occurs in canonical JSON, so this suffix cannot be confused with properties.
        digest.update(("\n" + relation + ":" + String.join(",", ids)).getBytes(StandardCharsets.UTF_8));
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
