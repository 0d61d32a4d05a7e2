package io.entrabackup.cluster.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The canonical form of a stored state, which decides "changed": object keys sorted recursively, no
 * insignificant whitespace, and the {@code members}/{@code owners} reference arrays sorted by id
 * (Graph's order of a membership means nothing). Every other array keeps its order.
 */
public final class CanonicalJson {

  private static final JsonFactory FACTORY = new ObjectMapper().getFactory();

  private CanonicalJson() {}

  /** SHA-256 (lower-case hex) of the canonical form of {@code state}. */
  public static String hash(ObjectNode state) {
    MessageDigest digest = sha256();
    write(state, new DigestOutputStream(OutputStream.nullOutputStream(), digest));
    return HexFormat.of().formatHex(digest.digest());
  }

  /** SHA-256 (lower-case hex) of the canonical form of any JSON value, as written by {@link #write}. */
  public static String hash(JsonNode value) {
    MessageDigest digest = sha256();
    write(value, new DigestOutputStream(OutputStream.nullOutputStream(), digest));
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The canonical form as a string (for tests and debugging; hashing streams it instead). */
  public static String canonical(JsonNode value) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    write(value, out);
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void write(JsonNode value, OutputStream out) {
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      writeValue(generator, value, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeValue(JsonGenerator generator, JsonNode value, boolean referenceSet)
      throws IOException {
    if (value.isObject()) {
      generator.writeStartObject();
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      value.fields().forEachRemaining(fields::add);
      fields.sort(Map.Entry.comparingByKey());
      for (Map.Entry<String, JsonNode> field : fields) {
        generator.writeFieldName(field.getKey());
        writeValue(generator, field.getValue(), References.isReferenceProperty(field.getKey()));
      }
      generator.writeEndObject();
    } else if (value.isArray()) {
      List<JsonNode> elements = new ArrayList<>();
      value.elements().forEachRemaining(elements::add);
      if (referenceSet) {
        elements.sort(References.ORDER);
      }
      generator.writeStartArray();
      for (JsonNode element : elements) {
        writeValue(generator, element, false);
      }
      generator.writeEndArray();
    } else {
      // Scalars exactly as parsed: 1 and 1.0 differ, as Graph sent them.
      generator.writeTree(value);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
