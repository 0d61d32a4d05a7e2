package io.entrabackup.cluster.snapshot.internal;

import io.entrabackup.cluster.crypto.Aad;
import io.entrabackup.cluster.crypto.CiphertextRejected;
import io.entrabackup.cluster.crypto.TenantCipher;
import io.entrabackup.cluster.snapshot.PackedState;
import io.entrabackup.protocol.backup.ObjectType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * How the snapshot store seals directory content in its columns (cluster/ENCRYPTION.md). Each value's AAD names what it
 * is and where it belongs: the column's purpose, the object type and id, and the version (or, for a chunk shared by
 * versions, the chunk id), so a value copied to another object, version or column does not open. A version's latest
 * row holds the very bytes of its version row: the AAD names the version, not the table.
 */
public final class SealedColumns {

  /** The sealed state: CRC-32 (4 bytes), the text's SHA-256 (32 bytes), then the raw DEFLATE stream. */
  private static final int STATE_HEADER_BYTES = Integer.BYTES + 32;

  private SealedColumns() {}

  /** The state's packed bytes, with the CRC-32 and SHA-256 a download needs, sealed. */
  public static ByteBuffer state(TenantCipher cipher, PackedState packed, ObjectType type, String objectId,
      String versionId) {
    byte[] payload = new byte[STATE_HEADER_BYTES + packed.deflated().length];
    ByteBuffer.wrap(payload).putInt(packed.crc32()).put(packed.sha256()).put(packed.deflated());
    return ByteBuffer.wrap(cipher.seal(payload, aad("state", type, objectId, versionId)));
  }

  /** What {@link #state} sealed; {@code length} is the text's length, kept in clear beside it. */
  public static PackedState openState(TenantCipher cipher, byte[] sealed, int length, ObjectType type,
      String objectId, String versionId) {
    byte[] payload = cipher.open(sealed, aad("state", type, objectId, versionId));
    if (payload.length < STATE_HEADER_BYTES) {
      throw new CiphertextRejected("a stored state is too short to be one");
    }
    ByteBuffer in = ByteBuffer.wrap(payload);
    int crc32 = in.getInt();
    byte[] sha256 = new byte[32];
    in.get(sha256);
    byte[] deflated = new byte[in.remaining()];
    in.get(deflated);
    return new PackedState(deflated, crc32, length, sha256);
  }

  /**
   * A version's display name: the same sealed text in its version row, its latest row and its list row (all say "the
   * name of this version of this object").
   */
  public static String displayName(TenantCipher cipher, String name, ObjectType type, String objectId,
      String versionId) {
    return cipher.sealText(name, aad("display_name", type, objectId, versionId));
  }

  public static String openDisplayName(TenantCipher cipher, String sealed, ObjectType type, String objectId,
      String versionId) {
    return cipher.openText(sealed, aad("display_name", type, objectId, versionId));
  }

  /** A list row's other sealed texts: {@code detail} (the line under the name) and {@code upn} (what search checks). */
  public static String listText(TenantCipher cipher, String column, String text, ObjectType type, String objectId,
      String versionId) {
    return cipher.sealText(text, aad(column, type, objectId, versionId));
  }

  public static String openListText(TenantCipher cipher, String column, String sealed, ObjectType type,
      String objectId, String versionId) {
    return cipher.openText(sealed, aad(column, type, objectId, versionId));
  }

  /** A small reference set's chunk texts kept in the version row, each sealed for its place in the list. */
  public static List<String> inline(TenantCipher cipher, List<String> texts, String relation, ObjectType type,
      String objectId, String versionId) {
    List<String> sealed = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      sealed.add(cipher.sealText(texts.get(i), aad("inline " + relation + " " + i, type, objectId, versionId)));
    }
    return sealed;
  }

  public static List<String> openInline(TenantCipher cipher, List<String> sealed, String relation, ObjectType type,
      String objectId, String versionId) {
    List<String> texts = new ArrayList<>(sealed.size());
    for (int i = 0; i < sealed.size(); i++) {
      texts.add(cipher.openText(sealed.get(i), aad("inline " + relation + " " + i, type, objectId, versionId)));
    }
    return texts;
  }

  /** A chunk row's references (shared by every version that lists the chunk: bound to the chunk id instead). */
  public static byte[] chunk(TenantCipher cipher, byte[] json, ObjectType type, String objectId, String chunkId) {
    return java.util.Base64.getEncoder().encode(cipher.seal(json, aad("chunk", type, objectId, chunkId)));
  }

  public static String openChunk(TenantCipher cipher, String sealed, ObjectType type, String objectId,
      String chunkId) {
    return cipher.openText(sealed, aad("chunk", type, objectId, chunkId));
  }

  private static byte[] aad(String purpose, ObjectType type, String objectId, String versionOrChunk) {
    return Aad.of("snapshot " + purpose, type.apiName(), objectId, versionOrChunk);
  }
}
