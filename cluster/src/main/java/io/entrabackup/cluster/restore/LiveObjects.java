package io.entrabackup.cluster.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.restore.LiveState;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The object as Microsoft Graph shows it now, read exactly as a restore plan reads it (same selects, same paging), for
 * pages that compare a snapshot with the directory. Reads only.
 */
public final class LiveObjects {

  private final RestorePlans plans;

  public LiveObjects(RestorePlans plans) {
    this.plans = plans;
  }

  /** The object now; role definitions are not read live (restores do not cover them either). */
  public CompletionStage<Live> read(String entraTenantId, ObjectType type, String objectId) {
    if (!type.isRestorable()) {
      throw new IllegalArgumentException(type.apiName() + " are not read live");
    }
    return new LiveReader(plans.graphFor(entraTenantId)).read(type, objectId).thenApply(live -> new Live(live.state(),
        live.properties(), Map.of("members", live.members(), "owners", live.owners())));
  }

  /**
   * What Graph answered.
   *
   * @param references member and owner ids by relation (empty sets for types without them)
   */
  public record Live(LiveState state, Optional<ObjectNode> properties, Map<String, Set<String>> references) {}
}
