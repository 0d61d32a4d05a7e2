package io.entrabackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JobWatchTest {

  private static JsonNode job(String json) throws Exception {
    return ApiClient.JSON.readTree(json);
  }

  @Test
  void aDownloadsBarFollowsItsObjects() throws Exception {
    JsonNode job = job("{\"id\":\"j1\",\"kind\":\"download\",\"state\":\"running\","
        + "\"summary\":{\"objectsDone\":45,\"objectsTotal\":100}}");
    assertEquals("[##############................]  45%  45/100 objects  running", JobWatch.bar(job));
    assertEquals("job j1 running: 45/100 objects", JobWatch.plain(job));
  }

  @Test
  void aBackupsBarFollowsItsTypesWhileItsTotalIsUnknown() throws Exception {
    JsonNode job = job("{\"id\":\"b1\",\"kind\":\"backup\",\"state\":\"running\","
        + "\"summary\":{\"objectsDone\":120,\"typesDone\":2,\"typesTotal\":5}}");
    assertEquals("[############..................]  40%  120 objects, 2/5 types  running", JobWatch.bar(job));
  }

  @Test
  void aQueuedJobWithoutFiguresShowsNoPercentage() throws Exception {
    JsonNode job = job("{\"id\":\"q\",\"state\":\"queued\",\"summary\":{\"objectsDone\":0}}");
    assertEquals("[??????????????????????????????]   ?%  0 objects  queued", JobWatch.bar(job));
  }

  @Test
  void anEndedJobIsFullAndItsOutcomeSaysWhatHappened() throws Exception {
    JsonNode failed = job("{\"id\":\"f\",\"kind\":\"backup\",\"state\":\"failed\",\"durationMillis\":2500,"
        + "\"error\":\"Graph said no\\u001b[31m\",\"summary\":{\"objectsDone\":3,\"typesDone\":1,\"typesTotal\":5}}");
    assertTrue(JobWatch.bar(failed).startsWith("[" + "#".repeat(JobWatch.BAR_WIDTH) + "] 100%"));
    assertEquals("backup f failed: 3 objects, 1/5 types in 2.5 s — Graph said no [31m", JobWatch.outcome(failed));

    JsonNode restored = job("{\"id\":\"r\",\"kind\":\"restore\",\"state\":\"completed_with_skipped_items\","
        + "\"summary\":{\"objectsDone\":1,\"objectsTotal\":1},"
        + "\"restore\":{\"newObjectId\":\"new-id\",\"temporaryPassword\":\"Pw-123\"}}");
    String outcome = JobWatch.outcome(restored);
    assertTrue(outcome.contains("recreated as new-id"), outcome);
    assertTrue(outcome.contains("temporary password (shown only now): Pw-123"), outcome);
    assertTrue(outcome.contains("entra-backup restore skipped r"), outcome);
  }
}
