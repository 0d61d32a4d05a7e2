package io.entrabackup.protocol.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The audit verification says {@code intact} in its JSON, as the API documents, and never takes it from input. */
class ChainCheckJsonTest {

  // Configured like the HTTP API's mapper (http-api ApiJson) in what matters here.
  private static final ObjectMapper json = JsonMapper.builder().addModule(new Jdk8Module())
      .serializationInclusion(JsonInclude.Include.NON_ABSENT).build();

  @Test
  void anIntactChainSaysSoAndABrokenOneNamesItsFirstBreak() throws Exception {
    var intact = json.valueToTree(new ChainCheck("acc-1", 12, Optional.empty()));
    assertTrue(intact.get("intact").booleanValue(), intact.toString());
    assertFalse(intact.has("firstBreak"), intact.toString());

    var broken = json.valueToTree(new ChainCheck("acc-1", 12, Optional.of(new ChainCheck.Break(4, "altered"))));
    assertFalse(broken.get("intact").booleanValue(), broken.toString());
    assertEquals(4, broken.get("firstBreak").get("sequence").longValue());
  }

  @Test
  void readingBackDerivesIntactFromTheBreakNotFromTheInput() throws Exception {
    ChainCheck read = json.readValue("{\"account\":\"acc-1\",\"records\":3,\"intact\":true,"
        + "\"firstBreak\":{\"sequence\":2,\"problem\":\"missing\"}}", ChainCheck.class);
    assertFalse(read.intact());
    assertEquals(new ChainCheck("acc-1", 3, Optional.of(new ChainCheck.Break(2, "missing"))), read);
  }
}
