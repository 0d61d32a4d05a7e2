package io.entrabackup.cluster.download.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our streaming ZIP framing read back by the JDK's two readers (central directory and local headers). */
class ZipStreamTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  @TempDir Path spool;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void filesAndAStreamedEntryReadBackWithBothJdkReaders() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("users/a.json", "{\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8));
    files.put("groups/b~0123456789ab.json", "{\"id\":\"B\",\"displayName\":\"Zoë\"}".getBytes(StandardCharsets.UTF_8));
    files.put("empty.json", new byte[0]);
    byte[] zip = write(files, List.of("line one\n", "line two\n"));
    check(zip, files, "line one\nline two\n");
  }

  @Test
  void moreThan65535EntriesUseZip64EndRecords() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < 70_000; i++) {
      files.put("users/" + i + ".json", ("{\"id\":" + i + "}").getBytes(StandardCharsets.UTF_8));
    }
    byte[] zip = write(files, List.of("{}"));
    check(zip, files, "{}");
  }

  private byte[] write(Map<String, byte[]> files, List<String> streamed) throws Exception {
    try (ZipStream zip = new ZipStream(spool, 6, Instant.parse("2026-11-20T08:00:00Z"))) {
      Source<ByteString, NotUsed> entries = Source.from(new ArrayList<>(files.entrySet()))
          .map(file -> zip.add(file.getKey(), file.getValue()));
      Source<ByteString, NotUsed> content = Source.from(streamed).map(ByteString::fromString);
      Source<ByteString, NotUsed> tail = Source.lazySource(() -> zip.addStreamed("manifest.json", content)
              .concatLazy(Source.lazySource(zip::finish)))
          .mapMaterializedValue(ignored -> NotUsed.getInstance());
      ByteString all = entries.concatLazy(tail).runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat),
          testKit.system()).toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
      return all.toArray();
    }
  }

  private void check(byte[] zip, Map<String, byte[]> files, String streamed) throws Exception {
    Path file = spool.resolve("out.zip");
    Files.write(file, zip);
    try (ZipFile read = new ZipFile(file.toFile())) {
      assertEquals(files.size() + 1, read.size());
      for (var expected : files.entrySet()) {
        ZipEntry entry = read.getEntry(expected.getKey());
        assertArrayEquals(expected.getValue(), read.getInputStream(entry).readAllBytes(), expected.getKey());
      }
      assertEquals(streamed, new String(read.getInputStream(read.getEntry("manifest.json")).readAllBytes(),
          StandardCharsets.UTF_8));
    }
    int seen = 0;
    try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        in.transferTo(content);
        if (!entry.getName().equals("manifest.json")) {
          assertArrayEquals(files.get(entry.getName()), content.toByteArray(), entry.getName());
        }
        seen++;
      }
    }
    assertEquals(files.size() + 1, seen);
    Duration.ZERO.toString();
  }
}
