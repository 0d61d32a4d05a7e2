package io.entrabackup.cluster.graph.http;

import io.entrabackup.protocol.backup.GraphTraffic;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Counts what really went out for a caller (a page, a restore): every attempt, the 429s among the answers, and the
 * answer bytes read, failed attempts included. {@link GraphHttp} adds to it; the caller reads {@link #total}.
 */
public final class GraphTrafficCounter {
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  /**
   * Counts requests where they leave: a network interceptor sees each one that really goes out (none when the token
   * could not be had) and its status. Installed on every tenant's client by {@code GraphAccess}.
   */
  public static final Interceptor ON_THE_WIRE = chain -> {
    GraphTrafficCounter counter = chain.request().tag(GraphTrafficCounter.class);
    if (counter != null) {
      counter.requests.incrementAndGet();
    }
    Response response = chain.proceed(chain.request());
    if (counter != null && response.code() == 429) {
      counter.throttled.incrementAndGet();
    }
    return response;
  };

  void read(long bodyBytes) {
    bytes.addAndGet(bodyBytes);
  }

  public GraphTraffic total() {
    return new GraphTraffic(requests.get(), throttled.get(), bytes.get());
  }
}
