package io.entrabackup.cluster.download.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download's spool file: what is written reads back whole, and the disk only ever holds ciphertext. */
class SpoolFileTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  @TempDir Path directory;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void whatIsWrittenReadsBackAcrossSegmentsAndNeverLandsOnDiskInClear() throws Exception {
    byte[] plain = text(3 * SpoolFile.SEGMENT + 123);
    SpoolFile file = SpoolFile.create(directory, "test-");
    try (OutputStream out = file.writer()) {
      out.write(plain, 0, 1000);
      out.write(plain[1000]);
      out.write(plain, 1001, plain.length - 1001);
    }
    assertArrayEquals(plain, read(file));
    String onDisk = new String(Files.readAllBytes(file.path()), StandardCharsets.ISO_8859_1);
    assertFalse(onDisk.contains("Spooled Name"), "the spool holds plaintext");
  }

  @Test
  void anEmptyFileReadsBackEmpty() throws Exception {
    SpoolFile file = SpoolFile.create(directory, "test-");
    file.writer().close();
    assertArrayEquals(new byte[0], read(file));
  }

  @Test
  void aTruncatedFileFailsInsteadOfReadingShort() throws Exception {
    SpoolFile file = SpoolFile.create(directory, "test-");
    try (OutputStream out = file.writer()) {
      out.write(text(2 * SpoolFile.SEGMENT));
    }
    byte[] whole = Files.readAllBytes(file.path());
    Files.write(file.path(), Arrays.copyOf(whole, 4 + SpoolFile.SEGMENT + 16));
    assertThrows(ExecutionException.class, () -> read(file));
  }

  private static byte[] read(SpoolFile file) throws Exception {
    return file.content().runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat), testKit.system())
        .toCompletableFuture().get(Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .toArray();
  }

  private static byte[] text(int length) {
    StringBuilder text = new StringBuilder(length);
    while (text.length() < length) {
      text.append("Spooled Name ").append(text.length()).append('\n');
    }
    return text.substring(0, length).getBytes(StandardCharsets.ISO_8859_1);
  }
}
