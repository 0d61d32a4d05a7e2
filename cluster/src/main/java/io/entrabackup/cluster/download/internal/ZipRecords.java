package io.entrabackup.cluster.download.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.pekko.util.ByteString;

/**
 * The byte layouts of a ZIP file (PKWARE APPNOTE 6.3.x, sections 4.3.7-4.3.16) that a streaming writer
 * needs: local headers, data descriptors, central directory headers and the end records, with ZIP64
 * where an offset or count outgrows the classic fields. Compression and checksums come from the JDK
 * ({@code Deflater}, {@code CRC32}); only the framing is ours, because every ZIP writer we have keeps
 * the central directory in memory (see cluster/DOWNLOADS.md).
 */
final class ZipRecords {

  static final int FLAG_DATA_DESCRIPTOR = 0x0008;
  static final int FLAG_UTF8 = 0x0800;
  static final int METHOD_DEFLATED = 8;

  private static final int LOCAL_HEADER = 0x04034b50;
  private static final int DATA_DESCRIPTOR = 0x08074b50;
  private static final int CENTRAL_HEADER = 0x02014b50;
  private static final int ZIP64_END = 0x06064b50;
  private static final int ZIP64_LOCATOR = 0x07064b50;
  private static final int END = 0x06054b50;
  private static final int VERSION_DEFAULT = 20;
  private static final int VERSION_ZIP64 = 45;
  private static final int ZIP64_EXTRA_ID = 0x0001;
  private static final long MAX_32 = 0xFFFFFFFFL;
  private static final int MAX_16 = 0xFFFF;

  private ZipRecords() {}

  /** DOS date and time (local fields, we write UTC) packed as the ZIP headers want them. */
  record DosTime(int time, int date) {
    static DosTime of(Instant instant) {
      LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
      int year = Math.max(1980, t.getYear());
      return new DosTime((t.getHour() << 11) | (t.getMinute() << 5) | (t.getSecond() / 2),
          ((year - 1980) << 9) | (t.getMonthValue() << 5) | t.getDayOfMonth());
    }
  }

  /** One entry as the central directory describes it. */
  record Entry(byte[] name, int flags, long crc, long compressedSize, long size, long offset) {}

  static ByteString localHeader(Entry e, DosTime time) {
    ByteBuffer b = buffer(30 + e.name().length);
    b.putInt(LOCAL_HEADER).putShort((short) VERSION_DEFAULT).putShort((short) e.flags())
        .putShort((short) METHOD_DEFLATED).putShort((short) time.time()).putShort((short) time.date())
        .putInt((int) e.crc()).putInt((int) e.compressedSize()).putInt((int) e.size())
        .putShort((short) e.name().length).putShort((short) 0).put(e.name());
    return ByteString.fromArrayUnsafe(b.array());
  }

  static ByteString dataDescriptor(long crc, long compressedSize, long size) {
    if (compressedSize >= MAX_32 || size >= MAX_32) {
      throw new IllegalStateException("an entry written with a data descriptor must stay under 4 GiB");
    }
    ByteBuffer b = buffer(16);
    b.putInt(DATA_DESCRIPTOR).putInt((int) crc).putInt((int) compressedSize).putInt((int) size);
    return ByteString.fromArrayUnsafe(b.array());
  }

  /** The central directory header; a ZIP64 extra field carries the offset once it passes 4 GiB. */
  static byte[] centralHeader(Entry e, DosTime time) {
    boolean zip64 = e.offset() >= MAX_32;
    int extra = zip64 ? 12 : 0;
    ByteBuffer b = buffer(46 + e.name().length + extra);
    b.putInt(CENTRAL_HEADER).putShort((short) VERSION_ZIP64).putShort((short) (zip64 ? VERSION_ZIP64 : VERSION_DEFAULT))
        .putShort((short) e.flags()).putShort((short) METHOD_DEFLATED)
        .putShort((short) time.time()).putShort((short) time.date())
        .putInt((int) e.crc()).putInt((int) e.compressedSize()).putInt((int) e.size())
        .putShort((short) e.name().length).putShort((short) extra).putShort((short) 0)
        .putShort((short) 0).putShort((short) 0).putInt(0)
        .putInt((int) (zip64 ? MAX_32 : e.offset()))
        .put(e.name());
    if (zip64) {
      b.putShort((short) ZIP64_EXTRA_ID).putShort((short) 8).putLong(e.offset());
    }
    return b.array();
  }

  /** ZIP64 end record and locator when needed, then the classic end record. */
  static ByteString end(long entries, long directoryOffset, long directorySize) {
    boolean zip64 = entries >= MAX_16 || directoryOffset >= MAX_32 || directorySize >= MAX_32;
    ByteBuffer b = buffer((zip64 ? 56 + 20 : 0) + 22);
    if (zip64) {
      long zip64EndOffset = directoryOffset + directorySize;
      b.putInt(ZIP64_END).putLong(44).putShort((short) VERSION_ZIP64).putShort((short) VERSION_ZIP64)
          .putInt(0).putInt(0).putLong(entries).putLong(entries).putLong(directorySize).putLong(directoryOffset);
      b.putInt(ZIP64_LOCATOR).putInt(0).putLong(zip64EndOffset).putInt(1);
    }
    b.putInt(END).putShort((short) 0).putShort((short) 0)
        .putShort((short) Math.min(entries, MAX_16)).putShort((short) Math.min(entries, MAX_16))
        .putInt((int) Math.min(directorySize, MAX_32)).putInt((int) Math.min(directoryOffset, MAX_32))
        .putShort((short) 0);
    return ByteString.fromArrayUnsafe(b.array());
  }

  private static ByteBuffer buffer(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
