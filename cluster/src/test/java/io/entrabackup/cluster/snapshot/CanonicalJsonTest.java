package io.entrabackup.cluster.snapshot;

import static io.entrabackup.cluster.snapshot.GraphExamples.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

  @Test
  void keyOrderDoesNotChangeTheHashAtAnyDepth() {
    ObjectNode a = object("{\"id\": \"u1\", \"a\": {\"x\": 1, \"y\": [ {\"p\": 1, \"q\": 2} ]}, \"b\": true}");
    ObjectNode b = object("{\"b\": true, \"a\": {\"y\": [{\"q\": 2, \"p\": 1}], \"x\": 1}, \"id\": \"u1\"}");
    assertEquals(CanonicalJson.hash(a), CanonicalJson.hash(b));
    assertEquals("{\"a\":{\"x\":1,\"y\":[{\"p\":1,\"q\":2}]},\"b\":true,\"id\":\"u1\"}", CanonicalJson.canonical(b));
  }

  @Test
  void scalarsAreWrittenAsJacksonWritesThem() throws Exception {
    // Hashes of stored versions must not move: the canonical scalars are byte for byte Jackson's own.
    String sorted = """
        {"a":"t\u00e9xt \\"q\\" \\n","b":true,"c":false,"d":null,"e":1,"f":-7,"g":12345678901,\
        "h":123456789012345678901234567890,"i":1.5,"j":1.0,"k":-2.5E-7,"l":1.0E300,"m":0.1}""";
    ObjectNode value = object(sorted);
    assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value),
        CanonicalJson.canonical(value));
  }

  @Test
  void memberAndOwnerOrderDoesNotChangeTheHash() {
    ObjectNode a = object("""
        {"id": "g", "members": [{"id": "2", "@odata.type": "#microsoft.graph.user"}, {"id": "1"}],
         "owners": [{"id": "b"}, {"id": "a"}]}""");
    ObjectNode b = object("""
        {"id": "g", "owners": [{"id": "a"}, {"id": "b"}],
         "members": [{"id": "1"}, {"@odata.type": "#microsoft.graph.user", "id": "2"}]}""");
    assertEquals(CanonicalJson.hash(a), CanonicalJson.hash(b));
  }

  @Test
  void theOrderOfOtherArraysIsContent() {
    assertNotEquals(
        CanonicalJson.hash(object("{\"id\": \"u\", \"proxyAddresses\": [\"SMTP:a\", \"smtp:b\"]}")),
        CanonicalJson.hash(object("{\"id\": \"u\", \"proxyAddresses\": [\"smtp:b\", \"SMTP:a\"]}")));
  }

  @Test
  void anyValueChangeChangesTheHash() {
    String base = """
        {"id": "u", "s": "text", "n": 1, "d": 1.5, "t": true, "z": null, "a": [1, 2], "o": {"k": "v"},
         "members": [{"id": "m1"}]}""";
    String[] variants = {
        base.replace("\"text\"", "\"Text\""), base.replace("\"n\": 1", "\"n\": 2"),
        base.replace("\"n\": 1", "\"n\": 1.0"), base.replace("1.5", "1.25"), base.replace("true", "false"),
        base.replace("null", "\"\""), base.replace("[1, 2]", "[1, 2, 3]"), base.replace("\"v\"", "\"w\""),
        base.replace("\"m1\"", "\"m2\""), base.replace("\"z\": null, ", ""), base.replace("\"s\"", "\"S\"")};
    Set<String> hashes = new HashSet<>();
    hashes.add(CanonicalJson.hash(object(base)));
    for (String variant : variants) {
      hashes.add(CanonicalJson.hash(object(variant)));
    }
    assertEquals(variants.length + 1, hashes.size());
  }

  @Test
  void theHashIsLowerCaseSha256Hex() {
    String hash = CanonicalJson.hash(object("{}"));
    // SHA-256 of "{}"
    assertEquals("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", hash);
  }

  @Test
  void aDocumentedUserHashesTheSameAfterAnEmptyMerge() {
    for (ObjectNode user : GraphExamples.values("users-delta-default-properties.json")) {
      ObjectNode state = SnapshotMerge.apply(Optional.empty(), user);
      ObjectNode again = SnapshotMerge.apply(Optional.of(state), object("{\"id\": \"" + user.get("id").asText() + "\"}"));
      assertEquals(CanonicalJson.hash(state), CanonicalJson.hash(again));
    }
  }
}
