package io.entrabackup.protocol.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What differs between two versions of an object: properties by name (with their values before and
 * after), and references (members, owners) added or removed.
 *
 * @param fromRemoved / toRemoved the tombstone reason when that version is one
 * @param references by relation name ({@code members}, {@code owners})
 */
public record VersionDiff(
    String from,
    String to,
    Optional<String> fromRemoved,
    Optional<String> toRemoved,
    Map<String, JsonNode> added,
    Map<String, JsonNode> removed,
    Map<String, Change> changed,
    Map<String, ReferenceChanges> references) {

  public record Change(JsonNode from, JsonNode to) {}

  public record ReferenceChanges(List<JsonNode> added, List<JsonNode> removed) {}
}
