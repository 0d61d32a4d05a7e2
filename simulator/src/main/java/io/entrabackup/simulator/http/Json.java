package io.entrabackup.simulator.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one JSON mapper the simulator uses; Graph writes nulls, so nulls are kept. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /**
   * Serialises a response. Plain values (maps, lists, strings, booleans, numbers, nulls: what the directory and the
   * delta engine build) go straight to the generator; anything else through the mapper. A delta page of users is
   * ~1 MB of such values, and the mapper's map serializer (a serializer lookup per entry) alone was a tenth of the
   * simulator's CPU in a full round, CPU the product's benchmark shares with the node.
   */
  public static byte[] bytes(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try (JsonGenerator generator = MAPPER.getFactory().createGenerator(out)) {
      write(generator, value);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot serialise a response", e);
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator generator, Object value) throws IOException {
    if (value == null) {
      generator.writeNull();
    } else if (value instanceof String text) {
      generator.writeString(text);
    } else if (value instanceof Map<?, ?> map) {
      generator.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        generator.writeFieldName(String.valueOf(entry.getKey()));
        write(generator, entry.getValue());
      }
      generator.writeEndObject();
    } else if (value instanceof List<?> list) {
      generator.writeStartArray();
      for (Object element : list) {
        write(generator, element);
      }
      generator.writeEndArray();
    } else if (value instanceof Boolean flag) {
      generator.writeBoolean(flag);
    } else if (value instanceof Integer number) {
      generator.writeNumber(number);
    } else if (value instanceof Long number) {
      generator.writeNumber(number);
    } else {
      MAPPER.writeValue(generator, value);
    }
  }

  public static String text(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise a response", e);
    }
  }

  /** Parses a request body as a JSON object; null when it is not one. */
  public static ObjectNode object(byte[] body) {
    try {
      JsonNode n = MAPPER.readTree(body);
      return n instanceof ObjectNode o ? o : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** A JSON object as plain Java values (maps, lists, strings, numbers, booleans, nulls). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> toMap(JsonNode node) {
    return MAPPER.convertValue(node, LinkedHashMap.class);
  }

  public static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
