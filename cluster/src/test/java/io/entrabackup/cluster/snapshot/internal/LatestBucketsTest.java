package io.entrabackup.cluster.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class LatestBucketsTest {

  @Test
  void bucketsAreFnv1aOfTheUtf8IdModSixtyFourAndNeverChange() {
    // FNV-1a 32-bit reference values: "" 0x811c9dc5, "a" 0xe40c292c, "foobar" 0xbf9cf968.
    assertEquals(0x811c9dc5 & 63, LatestBuckets.of(""));
    assertEquals(0xe40c292c & 63, LatestBuckets.of("a"));
    assertEquals(0xbf9cf968 & 63, LatestBuckets.of("foobar"));
    assertEquals(62, LatestBuckets.of("00000000-0000-0000-0000-000000000001"));
  }

  @Test
  void guidsSpreadOverEveryBucket() {
    int[] counts = new int[LatestBuckets.COUNT];
    for (int i = 0; i < 64_000; i++) {
      counts[LatestBuckets.of(UUID.randomUUID().toString())]++;
    }
    for (int count : counts) {
      assertTrue(count > 800 && count < 1200, "about 1000 ids a bucket: " + count);
    }
  }
}
