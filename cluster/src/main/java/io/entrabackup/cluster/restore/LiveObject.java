package io.entrabackup.cluster.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.protocol.restore.LiveState;
import java.util.Optional;
import java.util.Set;

/**
 * The object as Graph shows it now: live, in the recycle bin, or gone; its properties (as the backup selects them)
 * and, for groups and directory roles, its member and owner ids.
 */
record LiveObject(LiveState state, Optional<ObjectNode> properties, Set<String> members, Set<String> owners) {

  static LiveObject gone() {
    return new LiveObject(LiveState.GONE, Optional.empty(), Set.of(), Set.of());
  }

  /** Its id in the directory now (the recreated one's when recreated). */
  Optional<String> id() {
    return properties.map(p -> p.path("id").asText(null));
  }
}
