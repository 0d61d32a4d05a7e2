package io.entrabackup.http.download;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrabackup.http.download.ByteRanges.Part;
import io.entrabackup.http.download.ByteRanges.Unsatisfiable;
import io.entrabackup.http.download.ByteRanges.Whole;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Range headers resolved against a 1000-byte file, as RFC 9110 section 14 reads them. */
class ByteRangesTest {

  private static ByteRanges.Answer resolve(String header) {
    return ByteRanges.resolve(Optional.ofNullable(header), 1000);
  }

  @Test
  void singleRangesBecomeHalfOpenIntervals() {
    assertEquals(new Part(0, 10), resolve("bytes=0-9"));
    assertEquals(new Part(500, 1000), resolve("bytes=500-"));
    assertEquals(new Part(900, 1000), resolve("bytes=-100"));
    assertEquals(new Part(0, 1000), resolve("bytes=-5000"));
    assertEquals(new Part(990, 1000), resolve("bytes=990-5000"));
  }

  @Test
  void unsatisfiableAndIgnoredRanges() {
    assertEquals(new Unsatisfiable(), resolve("bytes=1000-"));
    assertEquals(new Unsatisfiable(), resolve("bytes=-0"));
    assertEquals(new Whole(), resolve(null));
    assertEquals(new Whole(), resolve("bytes=0-9,20-29"));
    assertEquals(new Whole(), resolve("items=0-9"));
    assertEquals(new Whole(), resolve("bytes=9-0"));
  }
}
