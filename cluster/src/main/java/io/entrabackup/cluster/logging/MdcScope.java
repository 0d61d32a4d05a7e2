package io.entrabackup.cluster.logging;

import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Log-line context for work that runs on whatever thread completed a future (stream stages, callbacks): the entries
 * are in this thread's MDC while {@code work} runs, and the MDC is as it was afterwards, so nothing leaks onto the
 * next task of a pooled thread. Actors use {@code Behaviors.withMdc} instead.
 */
public final class MdcScope {

  private MdcScope() {}

  public static <T> T call(Map<String, String> entries, Supplier<T> work) {
    Map<String, String> before = MDC.getCopyOfContextMap();
    entries.forEach(MDC::put);
    try {
      return work.get();
    } finally {
      if (before == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(before);
      }
    }
  }
}
