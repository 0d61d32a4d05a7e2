package io.entrabackup.cluster.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipReconcilerTest {

  private static final ObjectMapper json = new ObjectMapper();

  private static ObjectNode group() throws Exception {
    return (ObjectNode) json.readTree("""
        {"id":"g1","displayName":"Sales",
         "members":[{"@odata.type":"#microsoft.graph.user","id":"u1"},{"@odata.type":"#microsoft.graph.user","id":"u2"},
                    {"@odata.type":"#microsoft.graph.group","id":"g9"}],
         "owners":[{"@odata.type":"#microsoft.graph.user","id":"u2"}]}""");
  }

  @Test
  void takesGoneUsersOutOfMembersAndOwnersAndKeepsEverythingElse() throws Exception {
    ObjectNode state = group();
    ObjectNode pruned = MembershipReconciler.withoutReferences(state, Set.of("u2")).orElseThrow();
    assertEquals("[{\"@odata.type\":\"#microsoft.graph.user\",\"id\":\"u1\"},"
        + "{\"@odata.type\":\"#microsoft.graph.group\",\"id\":\"g9\"}]", pruned.get("members").toString());
    assertEquals("[]", pruned.get("owners").toString());
    assertEquals("Sales", pruned.get("displayName").asText());
    assertEquals(3, state.get("members").size(), "the stored state is not touched");
  }

  @Test
  void aStateWithoutGoneUsersIsLeftAlone() throws Exception {
    assertTrue(MembershipReconciler.withoutReferences(group(), Set.of("u7")).isEmpty());
    assertTrue(MembershipReconciler.withoutReferences((ObjectNode) json.readTree("{\"id\":\"r1\"}"), Set.of("u1"))
        .isEmpty());
  }
}
