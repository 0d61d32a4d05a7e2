package io.entrabackup.cluster.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.protocol.backup.ObjectComparison.PropertyRow;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SideBySideTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyPropertyOfEitherSideIsARowSaysHowItChangedAndMembersAreNoProperty() throws Exception {
    ObjectNode before = object("{\"displayName\":\"Ada\",\"jobTitle\":\"Engineer\",\"mobilePhone\":\"1\","
        + "\"identities\":[{\"a\":1,\"b\":2}],\"members\":[{\"id\":\"u1\"}]}");
    ObjectNode after = object("{\"displayName\":\"Ada\",\"jobTitle\":\"Manager\",\"department\":\"Sales\","
        + "\"identities\":[{\"b\":2,\"a\":1}],\"members\":[]}");

    List<PropertyRow> rows = SideBySide.properties(Optional.of(before), Optional.of(after), false);

    assertEquals(List.of("department added", "displayName unchanged", "identities unchanged", "jobTitle changed",
        "mobilePhone removed"), rows.stream().map(row -> row.name() + " " + row.change()).toList());
    assertEquals("Engineer", rows.get(3).before().orElseThrow().asText());
    assertEquals("Manager", rows.get(3).after().orElseThrow().asText());
    assertEquals(Optional.empty(), rows.get(0).before());
  }

  @Test
  void theLiveSidesRequestAnnotationsAndUnreadManagerAreNoDifference() throws Exception {
    ObjectNode snapshot = object("{\"id\":\"u1\",\"manager\":{\"id\":\"m\"},"
        + "\"manager@delta\":[{\"id\":\"m\"}],\"jobTitle\":null}");
    ObjectNode live = object("{\"@odata.context\":\"https://graph/$metadata#users\",\"id\":\"u1\",\"jobTitle\":null}");

    List<PropertyRow> rows = SideBySide.properties(Optional.of(snapshot), Optional.of(live), true);

    assertEquals(List.of("id unchanged", "jobTitle unchanged"),
        rows.stream().map(row -> row.name() + " " + row.change()).toList());
  }

  @Test
  void anObjectGoneFromTheDirectoryHasEveryPropertyRemoved() throws Exception {
    List<PropertyRow> rows = SideBySide.properties(Optional.of(object("{\"id\":\"g\",\"description\":\"d\"}")),
        Optional.empty(), true);

    assertEquals(List.of("removed", "removed"), rows.stream().map(PropertyRow::change).toList());
  }

  @Test
  void membersAreAddedRemovedOrKeptById() {
    SideBySide.Delta delta = SideBySide.delta(Set.of("a", "b", "c"), Set.of("c", "b", "d", "e"));

    assertEquals(List.of("d", "e"), delta.added());
    assertEquals(List.of("a"), delta.removed());
    assertEquals(2, delta.unchanged());
  }

  private static ObjectNode object(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }
}
