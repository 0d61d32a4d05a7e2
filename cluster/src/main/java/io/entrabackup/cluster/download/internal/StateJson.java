package io.entrabackup.cluster.download.internal;

import io.entrabackup.cluster.snapshot.StoredVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A version's file in a download: compact JSON, as Graph itself sends it, spliced from the stored texts without
 * parsing them (an object without members or owners does not even come here: {@link ZipOfFiles} ships its packed
 * state as the entry's data). The properties are stored as canonical JSON (an object, keys sorted, no whitespace) and each
 * reference set as its chunks' canonical arrays, so the file is the properties object with {@code "members":[...]}
 * and {@code "owners":[...]} (the chunks' elements in order) added before its closing brace; an object without
 * references is its stored text byte for byte.
 *
 * <p>Why not pretty-printed: re-tokenizing every state for indentation was half of a download's CPU and made the
 * files about a third larger to hash and deflate. Any JSON reader (PowerShell's {@code ConvertFrom-Json}, {@code jq},
 * an editor) shows them as it likes; the manifest stays pretty-printed for people opening the ZIP.
 */
final class StateJson {

  private StateJson() {}

  static byte[] of(StoredVersion version) {
    byte[] properties = version.properties().unpack();
    requireEnclosed(properties, '{', '}', version);
    if (version.references().isEmpty()) {
      return properties;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(properties.length + estimatedReferenceBytes(version));
    out.write(properties, 0, properties.length - 1);
    boolean first = properties.length == 2; // "{}": the first member needs no comma before it
    for (Map.Entry<String, List<String>> relation : version.references().entrySet()) {
      if (!first) {
        out.write(',');
      }
      first = false;
      byte[] name = ("\"" + relation.getKey() + "\":[").getBytes(StandardCharsets.UTF_8);
      out.write(name, 0, name.length);
      writeElements(relation.getValue(), out, version);
      out.write(']');
    }
    out.write('}');
    return out.toByteArray();
  }

  /** The elements of the chunks' arrays, in order, comma-separated (an empty chunk adds nothing). */
  private static void writeElements(List<String> chunks, ByteArrayOutputStream out, StoredVersion version) {
    boolean first = true;
    for (String chunk : chunks) {
      byte[] array = chunk.getBytes(StandardCharsets.UTF_8);
      requireEnclosed(array, '[', ']', version);
      if (array.length == 2) {
        continue;
      }
      if (!first) {
        out.write(',');
      }
      first = false;
      out.write(array, 1, array.length - 2);
    }
  }

  private static int estimatedReferenceBytes(StoredVersion version) {
    int bytes = 0;
    for (List<String> chunks : version.references().values()) {
      for (String chunk : chunks) {
        bytes += chunk.length();
      }
      bytes += 16;
    }
    return bytes;
  }

  /** Stored texts are canonical JSON; anything else means a damaged store, never a file to ship. */
  private static void requireEnclosed(byte[] json, char open, char close, StoredVersion version) {
    if (json.length < 2 || json[0] != open || json[json.length - 1] != close) {
      throw new IllegalStateException("the stored state of " + version.type().apiName() + " " + version.objectId()
          + " version " + version.versionId() + " is not canonical JSON");
    }
  }
}
