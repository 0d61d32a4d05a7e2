package io.entrabackup.cluster.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.cluster.snapshot.UnknownCursor;
import io.entrabackup.cluster.snapshot.internal.ObjectCursor.Position;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ObjectCursorTest {

  private static final String SCOPE = "t1/users";

  @Test
  void aCursorComesBackAsItsPositions() {
    Map<String, Position> positions = Map.of("n", new Position("ada", "u1"), "u", new Position("ada@x", "u1"));
    assertEquals(positions, ObjectCursor.decode(SCOPE, Optional.of(ObjectCursor.encode(SCOPE, positions))));
    assertTrue(ObjectCursor.decode(SCOPE, Optional.empty()).isEmpty());
    assertTrue(ObjectCursor.decode(SCOPE, Optional.of(" ")).isEmpty());
  }

  @Test
  void aCursorForAnotherTenantOrTypeIsRefused() {
    String cursor = ObjectCursor.encode(SCOPE, Map.of("n", new Position("ada", "u1")));
    assertThrows(UnknownCursor.class, () -> ObjectCursor.decode("t2/users", Optional.of(cursor)));
    assertThrows(UnknownCursor.class, () -> ObjectCursor.decode("t1/groups", Optional.of(cursor)));
  }

  @Test
  void garbledAndHandMadeCursorsAreRefused() {
    for (String cursor : new String[] {"not base64!", "%%%", base64("not json"), base64("[1,2]"), base64("{}"),
        base64("{\"n\":[\"a\",\"b\"]}"), base64("{\"for\":\"t1/users\",\"n\":\"a\"}"),
        base64("{\"for\":\"t1/users\",\"n\":[\"a\"]}"), base64("{\"for\":\"t1/users\",\"n\":[{},[]]}"),
        base64("{\"for\":\"t1/users\",\"n\":null}")}) {
      UnknownCursor refused = assertThrows(UnknownCursor.class, () -> ObjectCursor.decode(SCOPE, Optional.of(cursor)),
          cursor);
      assertEquals(0, refused.getStackTrace().length, "the caller's mistake needs no stack trace");
    }
  }

  private static String base64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
