package io.entrabackup.cluster.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class PackedStateTest {

  private static final String USER = "{\"accountEnabled\":true,\"city\":\"Zürich\",\"displayName\":\"Adele Vance\","
      + "\"id\":\"87d349ed-44d7-43e1-9a83-5f2406dee5bd\",\"jobTitle\":\"Retail Manager\","
      + "\"userPrincipalName\":\"AdeleV@contoso.onmicrosoft.com\"}";

  @Test
  void packsToARawDeflateStreamWithTheTextsCrcAndLength() throws Exception {
    byte[] text = USER.getBytes(StandardCharsets.UTF_8);
    PackedState packed = PackedState.pack(text);

    CRC32 crc = new CRC32();
    crc.update(text);
    assertEquals(crc.getValue(), packed.crc32Value());
    assertEquals(text.length, packed.length());
    assertArrayEquals(text, packed.unpack());
    assertEquals(USER, packed.text());
    assertTrue(packed.deflated().length < text.length, packed.toString());
  }

  @Test
  void thePackedBytesAreWhatAZipEntryHolds() throws Exception {
    // What a download relies on: the stored bytes, framed as a deflated entry, read back by the JDK's reader.
    byte[] text = USER.repeat(20).getBytes(StandardCharsets.UTF_8);
    PackedState packed = PackedState.pack(text);
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      ZipEntry entry = new ZipEntry("users/u.json");
      entry.setMethod(ZipEntry.DEFLATED);
      out.putNextEntry(entry);
      out.write(text);
      out.closeEntry();
    }
    // The JDK deflates the same text on its own; both streams must inflate to the text, which the entry reader checks
    // against our CRC-32.
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.toByteArray()))) {
      in.getNextEntry();
      assertArrayEquals(text, in.readAllBytes());
    }
    java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
    inflater.setInput(packed.deflated());
    byte[] out = new byte[text.length];
    assertEquals(text.length, inflater.inflate(out));
    assertTrue(inflater.finished());
    assertArrayEquals(text, out);
  }

  @Test
  void aDamagedStateIsReportedNotReturned() {
    PackedState packed = PackedState.of(USER);
    PackedState shorter = new PackedState(Arrays.copyOf(packed.deflated(), packed.deflated().length / 2),
        packed.crc32(), packed.length(), packed.sha256());
    assertThrows(IllegalStateException.class, shorter::unpack);
    PackedState wrongLength = new PackedState(packed.deflated(), packed.crc32(), packed.length() + 5, packed.sha256());
    assertThrows(IllegalStateException.class, wrongLength::unpack);
  }

  @Test
  void emptyObjectsAndLargeStatesRoundTrip() {
    assertEquals("{}", PackedState.of("{}").text());
    String large = "{\"a\":\"" + "x".repeat(200_000) + "\"}";
    assertEquals(large, PackedState.of(large).text());
  }
}
