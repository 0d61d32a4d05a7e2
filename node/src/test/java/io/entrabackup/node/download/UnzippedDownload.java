package io.entrabackup.node.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** A downloaded ZIP read back with the JDK's reader: its files, its manifest, and the manifest's hashes checked. */
public record UnzippedDownload(Map<String, byte[]> files, JsonNode manifest) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static UnzippedDownload of(byte[] zip) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        if (files.put(entry.getName(), in.readAllBytes()) != null) {
          throw new AssertionError("two entries named " + entry.getName());
        }
      }
    }
    byte[] manifest = files.remove("manifest.json");
    if (manifest == null) {
      throw new AssertionError("no manifest.json in " + files.keySet());
    }
    return new UnzippedDownload(files, JSON.readTree(manifest));
  }

  /** Every file is listed in the manifest with its size and SHA-256, and nothing else is. */
  public UnzippedDownload verifyManifest() {
    Map<String, JsonNode> listed = new TreeMap<>();
    manifest.get("files").forEach(file -> listed.put(file.get("path").asText(), file));
    assertEquals(new TreeMap<>(files).keySet(), listed.keySet(), "the manifest lists exactly the ZIP's files");
    files.forEach((path, bytes) -> {
      JsonNode entry = listed.get(path);
      assertEquals(sha256(bytes), entry.get("sha256").asText(), "SHA-256 of " + path);
      assertEquals(bytes.length, entry.get("size").asLong(), "size of " + path);
    });
    long counted = 0;
    for (var count : (Iterable<Map.Entry<String, JsonNode>>) manifest.get("counts")::fields) {
      counted += count.getValue().asLong();
    }
    assertEquals(files.size(), counted, "counts per type add up to the files");
    return this;
  }

  /** The JSON files of one folder, by object id (from the manifest), parsed. */
  public Map<String, JsonNode> objects(String type) {
    Map<String, JsonNode> byId = new TreeMap<>();
    manifest.get("files").forEach(file -> {
      if (file.get("type").asText().equals(type)) {
        String path = file.get("path").asText();
        assertTrue(path.startsWith(type + "/"), path);
        try {
          byId.put(file.get("objectId").asText(), JSON.readTree(files.get(path)));
        } catch (IOException e) {
          throw new AssertionError(path + " is not JSON", e);
        }
      }
    });
    return byId;
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
