package io.entrabackup.cluster.history;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrabackup.cluster.snapshot.CanonicalJson;
import io.entrabackup.cluster.snapshot.VersionChain;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks a downloaded ZIP against its manifest and the history it carries, offline (cluster/HISTORY.md, "Exported
 * ZIPs"): every file is listed with its size and SHA-256 and nothing else is there; each file's JSON gives the content
 * hash its manifest line names (what the version's chain hash commits to), when that hash is a plain one; and where
 * the ZIP holds consecutive versions of an object (an object's history), each link is recomputed from the one before.
 * The manifest's file lines are read one at a time, so a ZIP of any size is checked in memory that holds its paths.
 */
public final class ZipHistoryCheck {

  /** What the check found: figures, and each problem in words. */
  public record Result(long files, long links, long heads, long unchained, List<String> problems) {
    public boolean intact() {
      return problems.isEmpty();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANIFEST = "manifest.json";
  private static final int MAX_PROBLEMS = 1000;
  /** Far above any object's JSON (a 1,000,000-member group is ~70 MB), well below what a byte array can hold. */
  private static final long MAX_FILE_BYTES = 1L << 30;

  private ZipHistoryCheck() {}

  public static Result check(Path zipPath) throws IOException {
    try (ZipFile zip = new ZipFile(zipPath.toFile())) {
      ZipEntry manifestEntry = zip.getEntry(MANIFEST);
      if (manifestEntry == null) {
        return new Result(0, 0, 0, 0, List.of("the ZIP has no " + MANIFEST));
      }
      Walk walk = new Walk(zip);
      try (InputStream in = zip.getInputStream(manifestEntry); JsonParser parser = JSON.createParser(in)) {
        walk.manifest(parser);
      }
      walk.unlisted();
      return walk.result();
    }
  }

  /** One pass over the manifest: its header fields first, then its files, one line at a time. */
  private static final class Walk {
    private final ZipFile zip;
    private final Set<String> listed = new HashSet<>();
    private final List<String> problems = new ArrayList<>();
    private String tenant = "";
    private JsonNode before;
    private long files;
    private long links;
    private long heads;
    private long unchained;

    Walk(ZipFile zip) {
      this.zip = zip;
    }

    void manifest(JsonParser parser) throws IOException {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        problem("the manifest is not a JSON object");
        return;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.getCurrentName();
        parser.nextToken();
        if (field.equals("files") && parser.currentToken() == JsonToken.START_ARRAY) {
          while (parser.nextToken() == JsonToken.START_OBJECT) {
            file(JSON.readTree(parser));
          }
        } else {
          JsonNode value = JSON.readTree(parser);
          if (field.equals("tenant")) {
            tenant = value.path("id").asText("");
          }
        }
      }
    }

    private void file(JsonNode line) throws IOException {
      files++;
      String path = line.path("path").asText();
      if (!listed.add(path)) {
        problem(path + ": listed twice");
      }
      ZipEntry entry = zip.getEntry(path);
      if (entry == null) {
        problem(path + ": listed in the manifest, not in the ZIP");
        before = null;
        return;
      }
      long size = line.path("size").asLong(-1);
      if (size < 0 || size > MAX_FILE_BYTES) {
        problem(path + ": the manifest gives it no plausible size");
        before = null;
        return;
      }
      byte[] bytes;
      MessageDigest digest = CanonicalJson.sha256();
      // At most one byte more than the manifest says: a file that inflates beyond it is a mismatch, not a heap filled.
      try (InputStream in = new DigestInputStream(zip.getInputStream(entry), digest)) {
        bytes = in.readNBytes((int) size + 1);
      }
      if (!HexFormat.of().formatHex(digest.digest()).equals(line.path("sha256").asText()) || bytes.length != size) {
        problem(path + ": its SHA-256 or size is not the manifest's");
      }
      checkLink(path, line, chunkIdsOf(line));
      before = line;
    }

    /**
     * A version whose previous version is the line before (an object's history in the ZIP): its chain hash is
     * recomputed from that line's. Any other chained version is its object's chain head in the ZIP, to be compared
     * with the store (deploy/history-verify online).
     */
    /** The chunk ids the line's link commits to (keyed hashes, so carried by the manifest); null if it has none. */
    private static Map<String, List<String>> chunkIdsOf(JsonNode line) {
      JsonNode ids = line.get("chunkIds");
      if (ids == null || !ids.isObject()) {
        return null;
      }
      Map<String, List<String>> byRelation = new java.util.LinkedHashMap<>();
      ids.fields().forEachRemaining(relation -> {
        List<String> chunkIds = new ArrayList<>();
        relation.getValue().forEach(id -> chunkIds.add(id.asText()));
        byRelation.put(relation.getKey(), chunkIds);
      });
      return byRelation;
    }

    private void checkLink(String path, JsonNode line, Map<String, List<String>> chunkIds) {
      if (!line.hasNonNull("chainHash")) {
        unchained++;
        return;
      }
      Optional<String> previous = Optional.ofNullable(line.path("previousVersion").textValue());
      boolean follows = before != null && previous.isPresent()
          && before.path("type").asText().equals(line.path("type").asText())
          && before.path("objectId").asText().equals(line.path("objectId").asText())
          && before.path("versionId").asText().equals(previous.get()) && before.hasNonNull("chainHash");
      if (!follows) {
        heads++;
        return;
      }
      if (chunkIds == null) {
        return;
      }
      String recomputed = VersionChain.hash(before.get("chainHash").asText(), new VersionChain.Link(tenant,
          line.path("type").asText(), line.path("objectId").asText(), line.path("versionId").asText(), previous,
          Instant.parse(line.path("capturedAt").asText()), Optional.ofNullable(line.path("removed").textValue()),
          line.path("contentHash").asText(), chunkIds));
      if (recomputed.equals(line.path("chainHash").asText())) {
        links++;
      } else {
        problem(path + ": its chain hash does not follow from the version before it");
      }
    }

    void unlisted() {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        String name = entries.nextElement().getName();
        if (!name.equals(MANIFEST) && !listed.contains(name)) {
          problem(name + ": in the ZIP, not in the manifest");
        }
      }
    }

    Result result() {
      return new Result(files, links, heads, unchained, List.copyOf(problems));
    }

    private void problem(String text) {
      if (problems.size() < MAX_PROBLEMS) {
        problems.add(text);
      }
    }
  }
}
