package io.entrabackup.cluster.snapshot.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.snapshot.UnknownCursor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The opaque cursor of an object list: for each name index read ('n' display name, 'u' UPN), the last
 * (sort key, object id) already returned, and under "for" the list it was made for (tenant and type), so a cursor
 * carried over to another tenant's or type's list is refused instead of silently starting somewhere in it.
 * Base64url JSON, so it survives a URL unescaped.
 */
public final class ObjectCursor {

  /** A position in one name index: rows after (sortKey, objectId) come next. */
  public record Position(String sortKey, String objectId) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private ObjectCursor() {}

  private static final String SCOPE = "for";

  public static String encode(String scope, Map<String, Position> positions) {
    ObjectNode node = JSON.createObjectNode();
    node.put(SCOPE, scope);
    positions.forEach((kind, position) ->
        node.putArray(kind).add(position.sortKey()).add(position.objectId()));
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The positions of a cursor; {@link UnknownCursor} when it is not one we issued for {@code scope}. */
  public static Map<String, Position> decode(String scope, Optional<String> cursor) {
    Map<String, Position> positions = new TreeMap<>();
    if (cursor.isEmpty() || cursor.get().isBlank()) {
      return positions;
    }
    try {
      JsonNode node = JSON.readTree(new String(Base64.getUrlDecoder().decode(cursor.get()), StandardCharsets.UTF_8));
      if (!node.isObject() || !scope.equals(node.path(SCOPE).asText(null))) {
        throw new UnknownCursor();
      }
      node.fields().forEachRemaining(field -> {
        if (!field.getKey().equals(SCOPE)) {
          positions.put(field.getKey(), position(field.getValue()));
        }
      });
      return positions;
    } catch (JsonProcessingException | RuntimeException e) {
      throw new UnknownCursor();
    }
  }

  private static Position position(JsonNode pair) {
    if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
      throw new UnknownCursor();
    }
    return new Position(pair.get(0).asText(), pair.get(1).asText());
  }
}
