package io.entrabackup.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's heap over a time window, read from its own GC log ({@code -Xlog:gc:file=...:timemillis}): every
 * collection logs the heap in use before and after it, e.g. {@code [1764390000123ms] GC(7) Pause Young (Normal)
 * (G1 Evacuation Pause) 310M->42M(1024M) 8.1ms}.
 *
 * <p>The peak <em>after</em> GC is the figure that says what the node needed: the most the heap still held once
 * a collection had freed what it could (an upper bound of the live set, since a young collection leaves old
 * garbage in place). The peak <em>before</em> GC only says how far the collector let the heap fill.
 */
final class HeapLog {

  private static final Pattern COLLECTION =
      // The cause may hold digits ("G1 Evacuation Pause"): the sizes are the first "<n>M-><n>M(<n>M)" after "Pause".
      Pattern.compile("^\\[(\\d+)ms\\].*GC\\(\\d+\\) (Pause .*?) (\\d+)M->(\\d+)M\\((\\d+)M\\)");

  /** Collections in the window and the highest heap in use before and after one (MiB), and the committed heap. */
  record Peak(int collections, long maxBeforeMib, long maxAfterMib, long committedMib) {
    String afterGc() {
      return collections == 0 ? "no GC" : maxAfterMib + " MiB";
    }

    String beforeGc() {
      return collections == 0 ? "no GC" : maxBeforeMib + " MiB";
    }
  }

  private HeapLog() {}

  static Peak peak(Path gcLog, long fromMillis, long toMillis) throws IOException {
    int collections = 0;
    long before = 0;
    long after = 0;
    long committed = 0;
    for (String line : Files.readAllLines(gcLog)) {
      Matcher m = COLLECTION.matcher(line);
      if (!m.find()) {
        continue;
      }
      long at = Long.parseLong(m.group(1));
      if (at < fromMillis || at > toMillis) {
        continue;
      }
      collections++;
      before = Math.max(before, Long.parseLong(m.group(3)));
      after = Math.max(after, Long.parseLong(m.group(4)));
      committed = Math.max(committed, Long.parseLong(m.group(5)));
    }
    return new Peak(collections, before, after, committed);
  }
}
