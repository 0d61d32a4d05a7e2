package io.entrabackup.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PathIdsTest {

  @Test
  void aJobIdIsATimeBasedUuid() {
    assertTrue(PathIds.isJobId("6a1f2c4e-0f0e-11f1-8000-000000000001"));
    assertFalse(PathIds.isJobId("3f2504e0-4f89-41d3-9a0c-0305e82c3301"), "a random (version 4) UUID");
    assertFalse(PathIds.isJobId("not-a-job"));
    assertFalse(PathIds.isJobId(""));
  }
}
