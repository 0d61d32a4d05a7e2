package io.entrabackup.cluster.metrics;

import io.entrabackup.cluster.graph.http.GraphRequestObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;

/**
 * Graph requests by tenant size class ({@link TenantClasses}): every attempt that went out (retries included, as a
 * job's {@code graph.requests} counts them) by the class of its answer, the 429s among them, and the Retry-After
 * Graph asked us to wait (a summary: its count is the answers that carried one, its sum the seconds asked).
 */
public final class GraphMetrics implements GraphRequestObserver {

  private final MeterRegistry registry;
  private final TenantClasses classes;

  GraphMetrics(MeterRegistry registry, TenantClasses classes) {
    this.registry = registry;
    this.classes = classes;
  }

  @Override
  public void answered(String entraTenant, int status, Optional<Duration> retryAfter) {
    String tenantClass = classes.classOf(entraTenant);
    requests(tenantClass, statusClass(status)).increment();
    if (status == 429) {
      Counter.builder(NodeMetrics.PREFIX + "graph_throttled")
          .description("Graph answers 429 Too Many Requests")
          .tag("tenant_class", tenantClass)
          .register(registry).increment();
    }
    retryAfter.ifPresent(wait -> DistributionSummary.builder(NodeMetrics.PREFIX + "graph_retry_after_seconds")
        .description("Retry-After Graph sent (429, 503), in seconds")
        .baseUnit("seconds")
        .tag("tenant_class", tenantClass)
        .register(registry).record(wait.toMillis() / 1000.0));
  }

  @Override
  public void unanswered(String entraTenant) {
    requests(classes.classOf(entraTenant), "network_error").increment();
  }

  private Counter requests(String tenantClass, String outcome) {
    return Counter.builder(NodeMetrics.PREFIX + "graph_requests")
        .description("Graph request attempts sent, by the class of their answer")
        .tag("tenant_class", tenantClass)
        .tag("status", outcome)
        .register(registry);
  }

  /** {@code 2xx}, {@code 3xx}, {@code 4xx}, {@code 5xx}, with {@code 429} on its own (throttling is what we watch). */
  static String statusClass(int status) {
    return status == 429 ? "429" : (status / 100) + "xx";
  }
}
