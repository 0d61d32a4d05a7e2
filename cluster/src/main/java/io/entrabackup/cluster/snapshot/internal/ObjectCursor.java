package io.entrabackup.cluster.snapshot.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The opaque cursor of an object list: for each name index read ('n' display name, 'u' UPN), the last
 * (sort key, object id) already returned. Base64url JSON, so it survives a URL unescaped.
 */
public final class ObjectCursor {

  /** A position in one name index: rows after (sortKey, objectId) come next. */
  public record Position(String sortKey, String objectId) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private ObjectCursor() {}

  public static String encode(Map<String, Position> positions) {
    ObjectNode node = JSON.createObjectNode();
    positions.forEach((kind, position) ->
        node.putArray(kind).add(position.sortKey()).add(position.objectId()));
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The positions of a cursor; IllegalArgumentException when it is not one we issued. */
  public static Map<String, Position> decode(Optional<String> cursor) {
    Map<String, Position> positions = new TreeMap<>();
    if (cursor.isEmpty() || cursor.get().isBlank()) {
      return positions;
    }
    try {
      JsonNode node = JSON.readTree(new String(Base64.getUrlDecoder().decode(cursor.get()), StandardCharsets.UTF_8));
      node.fields().forEachRemaining(field ->
          positions.put(field.getKey(),
              new Position(field.getValue().get(0).asText(), field.getValue().get(1).asText())));
      return positions;
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException("cursor is not one this list issued: start again without it", e);
    }
  }
}
