package io.entrabackup.cluster.snapshot;

import static io.entrabackup.cluster.snapshot.GraphExamples.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnapshotMergeTest {

  private static List<String> ids(JsonNode references) {
    List<String> ids = new ArrayList<>();
    references.forEach(reference -> ids.add(reference.get("id").asText()));
    return ids;
  }

  @Test
  void aFirstRoundObjectIsStoredAsSentWithoutAnnotations() {
    ObjectNode delta = object("""
        {"@odata.type": "#microsoft.graph.user", "id": "u1", "displayName": "Adele",
         "businessPhones": ["+1 425 555 0109"], "extension_abc_costCenter": "42", "accountEnabled": true}""");
    ObjectNode state = SnapshotMerge.apply(Optional.empty(), delta);
    assertEquals(object("""
        {"id": "u1", "displayName": "Adele", "businessPhones": ["+1 425 555 0109"],
         "extension_abc_costCenter": "42", "accountEnabled": true}"""), state);
  }

  @Test
  void changedPropertiesReplaceAndEveryOtherPropertyIsKept() {
    ObjectNode previous = object("""
        {"id": "u1", "displayName": "Adele", "jobTitle": "Engineer", "department": "R&D",
         "unknownFutureProperty": {"a": 1}}""");
    ObjectNode delta = object("""
        {"id": "u1", "jobTitle": "Manager", "officeLocation": null}""");
    ObjectNode state = SnapshotMerge.apply(Optional.of(previous), delta);
    assertEquals(object("""
        {"id": "u1", "displayName": "Adele", "jobTitle": "Manager", "department": "R&D",
         "unknownFutureProperty": {"a": 1}, "officeLocation": null}"""), state);
    assertEquals("Engineer", previous.get("jobTitle").asText(), "the previous state is not modified");
  }

  @Test
  void membersDeltaAddsReferencesAndRemovedEntriesTakeThemAway() {
    ObjectNode previous = object("""
        {"id": "g1", "displayName": "Team", "members": [
          {"@odata.type": "#microsoft.graph.user", "id": "m3"},
          {"@odata.type": "#microsoft.graph.user", "id": "m1"}]}""");
    ObjectNode delta = object("""
        {"id": "g1", "members@delta": [
          {"@odata.type": "#microsoft.graph.user", "id": "m1", "@removed": {"reason": "deleted"}},
          {"@odata.type": "#microsoft.graph.group", "id": "m2"}]}""");
    ObjectNode state = SnapshotMerge.apply(Optional.of(previous), delta);
    assertEquals(List.of("m2", "m3"), ids(state.get("members")));
    assertEquals("#microsoft.graph.group", state.get("members").get(0).get("@odata.type").asText());
    assertFalse(state.has("members@delta"));
    assertEquals("Team", state.get("displayName").asText());
  }

  @Test
  void ownersDeltaIsMergedLikeMembers() {
    ObjectNode previous = object("""
        {"id": "g1", "owners": [{"@odata.type": "#microsoft.graph.user", "id": "o1"}]}""");
    ObjectNode delta = object("""
        {"id": "g1", "owners@delta": [{"@odata.type": "#microsoft.graph.user", "id": "o0"},
          {"@odata.type": "#microsoft.graph.user", "id": "o1", "@removed": {"reason": "deleted"}}]}""");
    ObjectNode state = SnapshotMerge.apply(Optional.of(previous), delta);
    assertEquals(List.of("o0"), ids(state.get("owners")));
  }

  @Test
  void anObjectRepeatedWithinARoundAccumulatesAndTheLastValueWins() {
    ObjectNode first = object("""
        {"id": "g1", "displayName": "Old", "members@delta": [
          {"@odata.type": "#microsoft.graph.user", "id": "a"}, {"@odata.type": "#microsoft.graph.user", "id": "b"}]}""");
    ObjectNode second = object("""
        {"id": "g1", "displayName": "New", "members@delta": [
          {"@odata.type": "#microsoft.graph.user", "id": "c"},
          {"@odata.type": "#microsoft.graph.user", "id": "a", "@removed": {"reason": "deleted"}}]}""");
    ObjectNode state = SnapshotMerge.apply(Optional.of(SnapshotMerge.apply(Optional.empty(), first)), second);
    assertEquals("New", state.get("displayName").asText());
    assertEquals(List.of("b", "c"), ids(state.get("members")));
  }

  @Test
  void odataAnnotationsAndTheRemovedMarkerAreNotState() {
    ObjectNode delta = object("""
        {"@odata.type": "#microsoft.graph.user", "@odata.etag": "W/1", "id": "u1",
         "photo@odata.mediaEtag": "x", "@removed": {"reason": "changed"}, "displayName": "A"}""");
    assertEquals(object("{\"id\": \"u1\", \"displayName\": \"A\"}"), SnapshotMerge.apply(Optional.empty(), delta));
  }

  @Test
  void otherDeltaNavigationPropertiesAreKeptAsGraphSentThem() {
    ObjectNode user = GraphExamples.values("users-delta-manager.json").get(0);
    ObjectNode state = SnapshotMerge.apply(Optional.empty(), user);
    assertEquals(user.get("manager@delta"), state.get("manager@delta"));
    assertEquals("Grady Archie", state.get("displayName").asText());
  }

  @Test
  void theDocumentedGroupMembershipChangeAppliesToTheInitialMembers() {
    ObjectNode initial = SnapshotMerge.apply(Optional.empty(),
        GraphExamples.values("groups-delta-initial-members.json").get(0));
    ObjectNode change = GraphExamples.values("groups-delta-members.json").get(0);
    ObjectNode previous = initial.deepCopy();
    previous.put("id", change.get("id").asText());
    previous.withArray("members").add(object(
        "{\"@odata.type\": \"#microsoft.graph.user\", \"id\": \"632f6bb2-3ec8-4c1f-9073-0027a8c6859\"}"));
    ObjectNode state = SnapshotMerge.apply(Optional.of(previous), change);
    List<String> members = ids(state.get("members"));
    assertFalse(members.contains("632f6bb2-3ec8-4c1f-9073-0027a8c6859"));
    assertTrue(members.contains("37de1ae3-408f-4702-8636-20824abda004"));
    assertEquals(members.stream().sorted().toList(), members, "members are sorted by id");
    assertEquals("TestGroup3", state.get("displayName").asText());
  }

  @Test
  void theDocumentedDirectoryRoleMemberRemovalRemovesTheMember() {
    ObjectNode role = GraphExamples.values("directoryroles-delta.json").get(0);
    ObjectNode previous = SnapshotMerge.apply(Optional.empty(), object("""
        {"id": "%s", "members": [{"@odata.type": "#microsoft.graph.user", "id": "bb165b45-151c-4cf6-9911-cd7188912848"},
                                 {"@odata.type": "#microsoft.graph.user", "id": "keep"}]}""".formatted(role.get("id").asText())));
    ObjectNode state = SnapshotMerge.apply(Optional.of(previous), role);
    assertEquals(List.of("keep"), ids(state.get("members")));
    assertEquals(role.get("roleTemplateId"), state.get("roleTemplateId"));
  }

  @Test
  void mergingAppearancesOneByOneGivesWhatApplyingEachInTurnGives() {
    ObjectNode previous = object("""
        {"id": "g1", "displayName": "Team", "description": "old", "members": [
          {"@odata.type": "#microsoft.graph.user", "id": "m3"},
          {"@odata.type": "#microsoft.graph.user", "id": "m1"}],
         "owners": [{"@odata.type": "#microsoft.graph.user", "id": "o1"}]}""");
    List<ObjectNode> appearances = List.of(
        object("""
            {"id": "g1", "displayName": "Team A", "members@delta": [
              {"@odata.type": "#microsoft.graph.user", "id": "m1", "@removed": {"reason": "deleted"}},
              {"@odata.type": "#microsoft.graph.user", "id": "m4"}]}"""),
        object("""
            {"id": "g1", "@odata.type": "#microsoft.graph.group", "members@delta": [
              {"@odata.type": "#microsoft.graph.group", "id": "m2"}],
             "owners@delta": [{"@odata.type": "#microsoft.graph.user", "id": "o0"}], "description": null}"""),
        object("""
            {"id": "g1", "owners": [{"@odata.type": "#microsoft.graph.user", "id": "o9"}]}"""));
    for (Optional<ObjectNode> base : List.of(Optional.<ObjectNode>empty(), Optional.of(previous))) {
      Optional<ObjectNode> expected = base;
      MergingState merging = new MergingState(base);
      for (ObjectNode appearance : appearances) {
        expected = Optional.of(SnapshotMerge.apply(expected, appearance));
        merging.apply(appearance);
        assertEquals(expected.get(), merging.state());
      }
    }
    assertEquals(List.of("m3", "m1"), ids(previous.get("members")), "the base is not modified");
  }
}
