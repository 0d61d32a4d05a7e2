package io.entrabackup.cluster.snapshot.internal;

import io.entrabackup.cluster.crypto.TenantCipher;
import io.entrabackup.cluster.snapshot.References;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;

/**
 * The content hash that decides whether a state changed: HMAC-SHA256 under the tenant's hash key over the SHA-256 of the
 * canonical form of the object's own properties, followed, for each reference set it has (members, then owners), by the
 * set's name and the ids of its chunks in order. Chunk ids are keyed hashes of the chunks' canonical content, so this
 * changes exactly when the canonical full state does, without serializing a large membership a second time. Keyed,
 * because it is stored in clear: a plain hash would let anyone reading the table confirm a guessed state.
 */
public final class ContentHash {

  private ContentHash() {}

  /**
   * @param propertiesSha256 the SHA-256 of the canonical properties (what the sealed state keeps for downloads)
   * @param chunkIds chunk ids by reference set, only for the sets the state has (an empty set has none)
   */
  public static String of(TenantCipher cipher, byte[] propertiesSha256, Map<String, List<String>> chunkIds) {
    Mac mac = cipher.keyedHash("snapshot content");
    mac.update(propertiesSha256);
    for (String relation : References.PROPERTIES) {
      List<String> ids = chunkIds.get(relation);
      if (ids != null) {
        mac.update(("\n" + relation + ":" + String.join(",", ids)).getBytes(StandardCharsets.UTF_8));
      }
    }
    return HexFormat.of().formatHex(mac.doFinal());
  }

  /** A chunk's id: 128 bits of its keyed hash name it within one object's partition (collisions are no concern). */
  public static String ofChunk(TenantCipher cipher, byte[] json) {
    return HexFormat.of().formatHex(cipher.keyedHash("snapshot chunk").doFinal(json), 0, 16);
  }
}
