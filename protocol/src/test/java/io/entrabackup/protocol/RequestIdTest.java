package io.entrabackup.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdTest {

  @Test
  void aUuidIsTakenLowerCased() {
    assertEquals(Optional.of("0b5e4c3a-1d2f-4e6a-8b7c-9d0e1f2a3b4c"),
        RequestId.wellFormed("0B5E4C3A-1D2F-4E6A-8B7C-9D0E1F2A3B4C"));
  }

  @Test
  void anythingElseIsNotTaken() {
    for (String offered : new String[] {null, "", "abc", "0b5e4c3a1d2f4e6a8b7c9d0e1f2a3b4c",
        "0b5e4c3a-1d2f-4e6a-8b7c-9d0e1f2a3b4c\r\nX-Evil: 1", " 0b5e4c3a-1d2f-4e6a-8b7c-9d0e1f2a3b4c",
        "0b5e4c3a-1d2f-4e6a-8b7c-9d0e1f2a3b4g", "{0b5e4c3a-1d2f-4e6a-8b7c-9d0e1f2a3b4c}"}) {
      assertTrue(RequestId.wellFormed(offered).isEmpty(), String.valueOf(offered));
      String made = RequestId.acceptOrGenerate(offered);
      assertNotEquals(offered, made);
      assertEquals(made, UUID.fromString(made).toString());
    }
  }
}
