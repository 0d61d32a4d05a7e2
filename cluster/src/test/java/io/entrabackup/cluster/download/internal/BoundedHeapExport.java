package io.entrabackup.cluster.download.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.download.internal.ExportFiles.ExportFile;
import io.entrabackup.cluster.snapshot.CanonicalJson;
import io.entrabackup.cluster.snapshot.PackedState;
import io.entrabackup.cluster.snapshot.StoredVersion;
import io.entrabackup.protocol.backup.ObjectType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Runs the download's ZIP pipeline (JSON files, manifest, ZIP framing, fixed chunks) over {@code n}
 * synthetic users with nothing but a byte count at the end, in whatever heap this JVM was given; prints
 * bytes, entries and the peak heap after the run. {@link BoundedHeapExportTest} starts it in a small heap.
 */
public final class BoundedHeapExport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BoundedHeapExport() {}

  public static void main(String[] args) throws Exception {
    int users = Integer.parseInt(args[0]);
    Path spool = Files.createTempDirectory("bounded-heap-export");
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bounded-heap-export");
    Instant now = Instant.now();
    try (ZipStream zip = new ZipStream(spool, 6, now); Manifest manifest = new Manifest(spool)) {
      manifest.expect(ObjectType.USERS);
      Source<ExportFile, org.apache.pekko.NotUsed> files = Source.range(1, users).map(i -> user(i, now));
      long bytes = ZipOfFiles.of(files, zip, manifest, 6, system.executionContext(), 2, JSON::createObjectNode)
          .via(FixedChunks.of(1024 * 1024))
          .runWith(Sink.fold(0L, (total, chunk) -> total + chunk.data().size()), system)
          .toCompletableFuture().get(10, TimeUnit.MINUTES);
      System.out.println("bytes=" + bytes + " entries=" + zip.entries() + " peakHeapMiB=" + peakHeapMiB());
    } finally {
      system.terminate();
      try (var paths = Files.walk(spool)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private static ExportFile user(int i, Instant now) {
    String id = new UUID(0x1234L, i).toString();
    ObjectNode state = JSON.createObjectNode();
    state.put("id", id);
    state.put("displayName", "User Number " + i);
    state.put("userPrincipalName", "user" + i + "@contoso.onmicrosoft.com");
    state.put("mail", "user" + i + "@contoso.com");
    state.put("jobTitle", "Engineer " + (i % 97));
    state.put("department", "Department " + (i % 13));
    state.put("accountEnabled", i % 7 != 0);
    state.putArray("businessPhones").add("+1 555 " + (1000 + i % 9000));
    state.put("officeLocation", "Building " + (i % 31));
    var snapshot = new StoredVersion(ObjectType.USERS, id, UUID.randomUUID().toString(), "run-1", now,
        CanonicalJson.hash(state), Optional.empty(), "User Number " + i, PackedState.of(CanonicalJson.canonical(state)),
        Map.of());
    return new ExportFile(ObjectType.USERS, "users/" + SafeFileNames.of(id) + ".json", snapshot);
  }

  private static long peakHeapMiB() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak / (1024 * 1024);
  }
}
