package io.entrabackup.cluster.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The canonical form of a stored state, which decides "changed": object keys sorted recursively, no
 * insignificant whitespace, and the {@code members}/{@code owners} reference arrays sorted by id
 * (Graph's order of a membership means nothing). Every other array keeps its order.
 */
public final class CanonicalJson {

  private static final JsonFactory FACTORY = new ObjectMapper().getFactory();
  private static final Comparator<Map.Entry<String, JsonNode>> BY_NAME = Map.Entry.comparingByKey();

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

  /** The canonical form as a string. */
  public static String canonical(JsonNode value) {
    return new String(canonicalBytes(value), StandardCharsets.UTF_8);
  }

  /** The canonical form as UTF-8 bytes (what the store keeps and hashes: serialized once). */
  public static byte[] canonicalBytes(JsonNode value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    write(value, out);
    return out.toByteArray();
  }

  /** Writes the canonical form of {@code value} to an open generator (for callers composing larger documents). */
  public static void write(JsonGenerator generator, JsonNode value) throws IOException {
    writeValue(generator, value, false);
  }

  /** A generator writing to {@code out}, as the canonical form is written. */
  public static JsonGenerator generator(OutputStream out) throws IOException {
    return FACTORY.createGenerator(out);
  }

  /** SHA-256 (lower-case hex) of some bytes. */
  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
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
      // The entries sorted in an array: no list to grow, and no lookup of each value by name afterwards (looking the
      // values up again was about a tenth of a full backup's node CPU). This runs for every object a backup stores.
      @SuppressWarnings("unchecked")
      Map.Entry<String, JsonNode>[] fields = new Map.Entry[value.size()];
      int count = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        fields[count++] = it.next();
      }
      Arrays.sort(fields, BY_NAME);
      for (Map.Entry<String, JsonNode> field : fields) {
        String name = field.getKey();
        generator.writeFieldName(name);
        writeValue(generator, field.getValue(), References.isReferenceProperty(name));
      }
      generator.writeEndObject();
    } else if (value.isArray()) {
      Iterable<JsonNode> elements = value;
      if (referenceSet) {
        List<JsonNode> sorted = new ArrayList<>(value.size());
        value.forEach(sorted::add);
        sorted.sort(References.ORDER);
        elements = sorted;
      }
      generator.writeStartArray();
      for (JsonNode element : elements) {
        writeValue(generator, element, false);
      }
      generator.writeEndArray();
    } else {
      writeScalar(generator, value);
    }
  }

  /**
   * Scalars exactly as parsed: 1 and 1.0 differ, as Graph sent them. Written straight to the generator, as each
   * node's own serializer would; {@code writeTree} made a serializer provider per value (a tenth of a backup's CPU).
   */
  private static void writeScalar(JsonGenerator generator, JsonNode value) throws IOException {
    switch (value.getNodeType()) {
      case STRING -> generator.writeString(value.textValue());
      case BOOLEAN -> generator.writeBoolean(value.booleanValue());
      case NULL -> generator.writeNull();
      case NUMBER -> writeNumber(generator, value);
      default -> generator.writeTree(value);
    }
  }

  private static void writeNumber(JsonGenerator generator, JsonNode value) throws IOException {
    switch (value.numberType()) {
      case INT -> generator.writeNumber(value.intValue());
      case LONG -> generator.writeNumber(value.longValue());
      case BIG_INTEGER -> generator.writeNumber(value.bigIntegerValue());
      case FLOAT -> generator.writeNumber(value.floatValue());
      case DOUBLE -> generator.writeNumber(value.doubleValue());
      case BIG_DECIMAL -> generator.writeNumber(value.decimalValue());
      default -> generator.writeTree(value);
    }
  }

  /** A new SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
