package io.entrabackup.cluster.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * An object's own properties as the store keeps them: the canonical JSON text (what the content hash is computed
 * over) raw-deflated, with the text's CRC-32 and length. This is exactly a deflated ZIP entry's data and header
 * fields, so a download ships an object without members or owners as stored, with no second compression; and
 * Cassandra handles a third of the bytes on every write, flush, compaction and read (a user's state is ~3 KB of JSON).
 * The text's SHA-256 goes with it (a download's manifest line), kept sealed with the rest: in clear it would let anyone
 * reading the table confirm a guessed state.
 *
 * @param deflated the raw DEFLATE stream (no zlib header: what a ZIP entry holds)
 * @param crc32 the CRC-32 of the canonical text's UTF-8 bytes
 * @param length the canonical text's length in UTF-8 bytes
 * @param sha256 the SHA-256 of the canonical text's UTF-8 bytes (32 bytes)
 */
public record PackedState(byte[] deflated, int crc32, int length, byte[] sha256) {

  /** Fastest level: the backup pays it for every changed object; JSON still shrinks about threefold. */
  private static final int LEVEL = Deflater.BEST_SPEED;
  private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater(LEVEL, true));
  private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(() -> new Inflater(true));

  /** Packs canonical UTF-8 text. Each thread keeps its deflater: making one per object costs more than deflating. */
  public static PackedState pack(byte[] canonical) {
    return pack(canonical, CanonicalJson.sha256().digest(canonical));
  }

  /** As {@link #pack(byte[])}, with the text's SHA-256 already computed (the content hash is made from it). */
  public static PackedState pack(byte[] canonical, byte[] sha256) {
    Deflater deflater = DEFLATERS.get();
    deflater.reset();
    deflater.setInput(canonical);
    deflater.finish();
    byte[] out = new byte[canonical.length / 2 + 64];
    int size = 0;
    while (!deflater.finished()) {
      if (size == out.length) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      size += deflater.deflate(out, size, out.length - size);
    }
    CRC32 crc = new CRC32();
    crc.update(canonical);
    return new PackedState(Arrays.copyOf(out, size), (int) crc.getValue(), canonical.length, sha256);
  }

  /** The canonical text's UTF-8 bytes. */
  public byte[] unpack() {
    Inflater inflater = INFLATERS.get();
    inflater.reset();
    inflater.setInput(deflated);
    byte[] text = new byte[length];
    try {
      int size = 0;
      while (size < length && !inflater.finished()) {
        int n = inflater.inflate(text, size, length - size);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        size += n;
      }
      if (size != length || !inflater.finished()) {
        throw new IllegalStateException("a stored state does not inflate to its recorded " + length + " bytes: the"
            + " snapshot store is damaged");
      }
    } catch (DataFormatException e) {
      throw new IllegalStateException("a stored state is not a DEFLATE stream: the snapshot store is damaged", e);
    }
    return text;
  }

  /** The canonical text. */
  public String text() {
    return new String(unpack(), StandardCharsets.UTF_8);
  }

  /** The text's SHA-256, lower-case hex (what a download's manifest lists for the file that is this text). */
  public String sha256Hex() {
    return java.util.HexFormat.of().formatHex(sha256);
  }

  /** The text's CRC-32 as Java's {@code CRC32.getValue()} gives it (unsigned). */
  public long crc32Value() {
    return Integer.toUnsignedLong(crc32);
  }

  /** Packs a text (for tests and callers holding a string). */
  public static PackedState of(String canonical) {
    return pack(canonical.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PackedState that && crc32 == that.crc32 && length == that.length
        && Arrays.equals(deflated, that.deflated);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(deflated) + crc32;
  }

  @Override
  public String toString() {
    return "PackedState[" + deflated.length + " of " + length + " bytes, crc32=" + Integer.toHexString(crc32) + "]";
  }
}
