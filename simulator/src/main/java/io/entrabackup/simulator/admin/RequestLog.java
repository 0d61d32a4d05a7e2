package io.entrabackup.simulator.admin;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/** Counts every request by endpoint and status, with resource units spent, 429s sent and bytes, for benchmarks. */
public final class RequestLog {
  private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final int RECENT = 500;

  /**
   * One logged request. {@code at} is when the answer left (epoch millis); {@code retryAfter} is the answer's
   * Retry-After header, if any, so a client's pacing can be checked against it.
   */
  public record Entry(long at, String method, String path, int status, long bytes, int resourceUnits, long micros,
                      String retryAfter) {}

  private final Map<String, LongAdder> byEndpointAndStatus = new ConcurrentHashMap<>();
  private final LongAdder requests = new LongAdder();
  private final LongAdder resourceUnits = new LongAdder();
  private final LongAdder throttled = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder faults = new LongAdder();
  private final Deque<Entry> recent = new ArrayDeque<>();
  /** Graph requests by the {@code client-request-id} the client sent (Graph echoes it; a test checks what arrived). */
  private final Map<String, LongAdder> byClientRequestId = new ConcurrentHashMap<>();
  private final LongSupplier epochMillis;

  public RequestLog() {
    this(System::currentTimeMillis);
  }

  /** A log that stamps entries with the times {@code epochMillis} reads (a test's, to place answers exactly). */
  public RequestLog(LongSupplier epochMillis) {
    this.epochMillis = epochMillis;
  }

  /** The endpoint an exact path belongs to: GUIDs and other ids replaced by {id}. */
  public static String endpoint(String method, String path) {
    String p = GUID.matcher(path).replaceAll("{id}");
    p = p.replaceAll("/deletedItems/[^/]+", "/deletedItems/{id}").replace("/{id}/", "/{id}/");
    p = p.replaceAll("/roleAssignments/[A-Za-z0-9_-]{20,}", "/roleAssignments/{id}");
    if (!p.startsWith("/v1.0") && !p.startsWith("/_simulator")) {
      p = p.replaceFirst("^/[^/]+", "/{tenant}");
    }
    return method + " " + p;
  }

  public void record(String method, String path, int status, long bodyBytes, int ru, long micros, boolean fault) {
    record(method, path, status, bodyBytes, ru, micros, fault, null);
  }

  public void record(String method, String path, int status, long bodyBytes, int ru, long micros, boolean fault,
                     String retryAfter) {
    byEndpointAndStatus.computeIfAbsent(endpoint(method, path) + " " + status, k -> new LongAdder()).increment();
    requests.increment();
    resourceUnits.add(ru);
    bytes.add(bodyBytes);
    if (status == 429) {
      throttled.increment();
    }
    if (fault) {
      faults.increment();
    }
    synchronized (recent) {
      recent.addLast(new Entry(epochMillis.getAsLong(), method, path, status, bodyBytes, ru, micros, retryAfter));
      if (recent.size() > RECENT) {
        recent.removeFirst();
      }
    }
  }

  /** Counts a Graph request under the {@code client-request-id} it carried (none sent: not counted). */
  public void clientRequestId(String id) {
    if (id != null && byClientRequestId.size() < 100_000) {
      byClientRequestId.computeIfAbsent(id, k -> new LongAdder()).increment();
    }
  }

  /** Graph requests received per {@code client-request-id}. */
  public Map<String, Long> clientRequestIds() {
    Map<String, Long> counts = new TreeMap<>();
    byClientRequestId.forEach((k, v) -> counts.put(k, v.sum()));
    return counts;
  }

  public void reset() {
    byClientRequestId.clear();
    byEndpointAndStatus.clear();
    requests.reset();
    resourceUnits.reset();
    throttled.reset();
    bytes.reset();
    faults.reset();
    synchronized (recent) {
      recent.clear();
    }
  }

  public long requests() { return requests.sum(); }
  public long resourceUnits() { return resourceUnits.sum(); }
  public long throttled() { return throttled.sum(); }
  public long bytes() { return bytes.sum(); }

  /** The counters as a JSON-ready map. */
  public Map<String, Object> snapshot() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requests", requests.sum());
    m.put("resourceUnits", resourceUnits.sum());
    m.put("throttled429", throttled.sum());
    m.put("faultsInjected", faults.sum());
    m.put("bytesSent", bytes.sum());
    Map<String, Long> counts = new TreeMap<>();
    byEndpointAndStatus.forEach((k, v) -> counts.put(k, v.sum()));
    m.put("byEndpointAndStatus", counts);
    return m;
  }

  public List<Entry> recent() {
    synchronized (recent) {
      return new ArrayList<>(recent);
    }
  }

  /**
   * How the client honoured the Retry-After answers among the recent Graph requests ({@code /v1.0/...}): after an
   * answer with Retry-After, no request may arrive before the time it names. Every logged Graph request is taken as
   * one client's (reset the log before the requests of interest). A request arrived {@code micros} before its entry's
   * {@code at}; a window closes {@code at} plus the header's seconds, or at the HTTP date it gives.
   */
  public RetryAfterPacing retryAfterPacing() {
    long windowEnd = 0;
    int windows = 0;
    List<EarlyRequest> early = new ArrayList<>();
    for (Entry entry : recent()) {
      if (!entry.path().startsWith("/v1.0/")) {
        continue;
      }
      long arrived = entry.at() - entry.micros() / 1000;
      if (arrived < windowEnd - RetryAfterPacing.SLACK_MILLIS) {
        early.add(new EarlyRequest(entry, windowEnd - arrived));
      }
      if (entry.retryAfter() != null) {
        windows++;
        windowEnd = Math.max(windowEnd, retryAfterEnd(entry));
      }
    }
    return new RetryAfterPacing(windows, early);
  }

  private static long retryAfterEnd(Entry entry) {
    String value = entry.retryAfter().trim();
    try {
      return entry.at() + (long) (Double.parseDouble(value) * 1000);
    } catch (NumberFormatException notSeconds) {
      try {
        return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
      } catch (DateTimeParseException notADate) {
        throw new IllegalStateException("Retry-After is neither seconds nor an HTTP date: " + entry, notADate);
      }
    }
  }

  /** A request that came {@code millisEarly} before the Retry-After window an earlier answer opened had closed. */
  public record EarlyRequest(Entry request, long millisEarly) {
    @Override
    public String toString() {
      return "request " + request + " came " + millisEarly + " ms inside a Retry-After window";
    }
  }

  /** {@link #retryAfterPacing()}'s answer: how many answers asked the client to wait, and which requests did not. */
  public record RetryAfterPacing(int windows, List<EarlyRequest> early) {
    /** Slack for the granularity of the two clock readings an entry's arrival is computed from. */
    static final long SLACK_MILLIS = 5;

    /** Throws unless some answer asked the client to wait and no request came inside a window. */
    public void assertHonoured() {
      if (!early.isEmpty()) {
        throw new AssertionError(early.size() + " request(s) inside a Retry-After window, first: " + early.get(0));
      }
      if (windows == 0) {
        throw new AssertionError("no answer asked the client to wait: the check proves nothing");
      }
    }
  }
}
