package io.entrabackup.cluster.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.Set;

/**
 * The object as Graph shows it now: live, in the recycle bin, or gone; its properties (as the backup selects them)
 * and, for groups and directory roles, its member and owner ids.
 */
record LiveObject(State state, Optional<ObjectNode> properties, Set<String> members, Set<String> owners) {

  enum State {
    LIVE("live"), SOFT_DELETED("soft_deleted"), GONE("gone");

    final String apiName;

    State(String apiName) {
      this.apiName = apiName;
    }
  }

  static LiveObject gone() {
    return new LiveObject(State.GONE, Optional.empty(), Set.of(), Set.of());
  }

  /** Its id in the directory now (the recreated one's when recreated). */
  Optional<String> id() {
    return properties.map(p -> p.path("id").asText(null));
  }
}
