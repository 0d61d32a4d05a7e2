package io.entrabackup.cluster.download.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.snapshot.VersionLink;
import io.entrabackup.protocol.backup.ObjectType;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * {@code manifest.json}: the download's description (tenant, scope, asOf, counts, backup runs) and one
 * line per file with its SHA-256. The file lines are spooled to local disk (encrypted, {@link SpoolFile}) as they come (a tenant of a
 * million users has a million of them) and streamed back into the ZIP at the end, so memory holds only
 * the counts and the set of backup runs.
 */
public final class Manifest implements AutoCloseable {

  public static final String PATH = "manifest.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SPOOL_BUFFER = 64 * 1024;

  private final SpoolFile linesSpool;
  private final JsonGenerator lines;
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private final SortedSet<String> runs = new TreeSet<>();

  public Manifest(Path spoolDirectory) throws IOException {
    this.linesSpool = SpoolFile.create(spoolDirectory, "manifest-");
    this.lines = new JsonFactory().createGenerator(new BufferedOutputStream(linesSpool.writer(),
        SPOOL_BUFFER));
    lines.setPrettyPrinter(new OneFilePerLine());
    lines.writeStartArray();
  }

  /** Starts counting a type (so a type with no objects still shows 0). */
  public void expect(ObjectType type) {
    counts.putIfAbsent(type.apiName(), 0L);
  }

  /**
   * One file of the ZIP, with its version's content hash and its link in the object's hash chain (its chain head when
   * it is the object's latest version), so the ZIP can be checked against its history offline (cluster/HISTORY.md).
   */
  public void add(String path, ObjectType type, String objectId, String versionId, String runId, Instant capturedAt,
      Optional<String> removed, long size, String sha256, String contentHash, Optional<VersionLink> link) {
    counts.merge(type.apiName(), 1L, Long::sum);
    runs.add(runId);
    try {
      lines.writeStartObject();
      lines.writeStringField("path", path);
      lines.writeStringField("type", type.apiName());
      lines.writeStringField("objectId", objectId);
      lines.writeStringField("versionId", versionId);
      lines.writeStringField("capturedAt", capturedAt.toString());
      if (removed.isPresent()) {
        lines.writeStringField("removed", removed.get());
      }
      lines.writeNumberField("size", size);
      lines.writeStringField("sha256", sha256);
      lines.writeStringField("contentHash", contentHash);
      if (link.isPresent()) {
        lines.writeStringField("chainHash", link.get().chainHash());
        if (link.get().previousVersion().isPresent()) {
          lines.writeStringField("previousVersion", link.get().previousVersion().get());
        }
        lines.writeObjectFieldStart("chunkIds");
        for (var relation : link.get().chunkIds().entrySet()) {
          lines.writeArrayFieldStart(relation.getKey());
          for (String id : relation.getValue()) {
            lines.writeString(id);
          }
          lines.writeEndArray();
        }
        lines.writeEndObject();
      }
      lines.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("the manifest spool could not be written", e);
    }
  }

  public Map<String, Long> counts() {
    return Map.copyOf(counts);
  }

  /**
   * The whole manifest: {@code head}'s fields, then counts and backup runs, then the file lines. Call
   * once every file was added.
   */
  public Source<ByteString, NotUsed> content(ObjectNode head) {
    try {
      lines.writeEndArray();
      lines.close();
      ObjectNode description = head.deepCopy();
      description.set("counts", JSON.valueToTree(counts));
      description.set("backupRuns", JSON.valueToTree(runs));
      description.set("history", HistoryManifest.description());
      ByteArrayOutputStream start = new ByteArrayOutputStream();
      try (JsonGenerator generator = new JsonFactory().createGenerator(start)) {
        // The object stays open: the spooled files array and the closing brace follow.
        generator.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
        generator.setPrettyPrinter(new DefaultPrettyPrinter());
        generator.writeStartObject();
        for (var field : (Iterable<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>) description::fields) {
          generator.writeFieldName(field.getKey());
          JSON.writeTree(generator, field.getValue());
        }
        generator.writeFieldName("files");
        generator.writeRaw(" : ");
        generator.flush();
      }
      return Source.single(ByteString.fromArrayUnsafe(start.toByteArray()))
          .concatLazy(linesSpool.content())
          .concatLazy(Source.single(ByteString.fromString("\n}\n")));
    } catch (IOException e) {
      throw new UncheckedIOException("the manifest could not be written", e);
    }
  }

  @Override
  public void close() {
    try {
      lines.close();
    } catch (IOException ignored) {
      // Closed already, or the disk failed: the build fails on its own either way.
    }
    linesSpool.delete();
  }

  /** The files array with one file per line: readable, and greppable by path. */
  private static final class OneFilePerLine extends MinimalPrettyPrinter {
    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
      g.writeRaw("\n");
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(",\n");
    }

    @Override
    public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
      g.writeRaw("\n]");
    }
  }
}
