package io.entrabackup.protocol.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.entrabackup.protocol.tenant.LastBackup;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The API shows restore actions and backup results as the strings it showed before they were enums. */
class RestoreActionJsonTest {

  // Configured like the HTTP API's mapper (http-api ApiJson) in what matters here.
  private static final ObjectMapper json = JsonMapper.builder().addModule(new Jdk8Module())
      .addModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

  @Test
  void aRestoreJobShowsItsActionInLowerCase() throws Exception {
    var details = new RestoreDetails("users", "u1", "v1", "key-1", Optional.of(RestoreAction.RECREATE),
        Optional.of("new-id"), 3, 0, Optional.empty());

    var tree = json.valueToTree(details);

    assertEquals("recreate", tree.get("action").textValue());
    assertEquals(details, json.treeToValue(tree, RestoreDetails.class));
  }

  @Test
  void everyActionHasTheNameTheApiAlwaysUsed() {
    assertEquals("update", RestoreAction.UPDATE.apiName());
    assertEquals("undelete", RestoreAction.UNDELETE.apiName());
    assertEquals("recreate", RestoreAction.RECREATE.apiName());
    assertEquals(RestoreAction.UNDELETE, RestoreAction.fromApiName("undelete"));
    assertThrows(IllegalArgumentException.class, () -> RestoreAction.fromApiName("UNDELETE"));
  }

  @Test
  void aTenantsLastBackupShowsItsResultInLowerCase() throws Exception {
    var tree = json.valueToTree(new LastBackup(LastBackup.Result.COMPLETED_WITH_SKIPPED_ITEMS,
        Instant.parse("2026-11-28T10:15:30.123Z")));

    assertEquals("completed_with_skipped_items", tree.get("result").textValue());
    assertEquals("2026-11-28T10:15:30.123Z", tree.get("finishedAt").textValue());
    assertEquals(LastBackup.Result.FAILED, LastBackup.Result.fromApiName("failed"));
  }
}
