package io.entrabackup.cluster.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.Timer;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metrics.DefaultSessionMetric;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Cassandra request latency as the driver itself measures it: its {@code cql-requests} timer of our session (every
 * statement our stores run, from send to answer, retries and speculative executions included), turned on in the
 * driver's settings ({@code datastax-java-driver.advanced.metrics.session.enabled}, node persistence.conf).
 *
 * <p>Why the driver's own timer read through its Dropwizard registry, not its Micrometer module: that module
 * ({@code java-driver-metrics-micrometer}) is not among the versions this build can resolve, and it takes its registry
 * only through {@code CqlSessionBuilder.withMetricRegistry}, which Pekko's session provider does not call: it would
 * mean a session provider of our own. The driver's default metrics (Dropwizard, on its classpath already) need only a
 * setting, and their timer is read here at each scrape: the count as a counter, the latency quantiles of the driver's
 * HdrHistogram (over its refresh interval) as gauges.
 */
final class CassandraLatency {

  private static final double NANOS_PER_SECOND = 1e9;

  private CassandraLatency() {}

  static void bind(MeterRegistry registry, CassandraSession session, ActorSystem<?> system) {
    session.underlying().thenAccept(cql -> bind(registry, cql)).exceptionally(error -> {
      system.log().warn("Cassandra request metrics are not available: the session did not open ({})",
          error.getClass().getSimpleName());
      return null;
    });
  }

  static void bind(MeterRegistry registry, CqlSession cql) {
    Optional<Metric> requests = cql.getMetrics()
        .flatMap(metrics -> metrics.getSessionMetric(DefaultSessionMetric.CQL_REQUESTS));
    if (requests.isPresent() && requests.get() instanceof Timer timer) {
      FunctionCounter.builder(NodeMetrics.PREFIX + "cassandra_requests", timer, Timer::getCount)
          .description("CQL requests our session sent (the driver's cql-requests timer)")
          .register(registry);
      quantile(registry, timer, "0.5");
      quantile(registry, timer, "0.95");
      quantile(registry, timer, "0.99");
      quantile(registry, timer, "1.0");
    }
    cql.getMetrics().flatMap(metrics -> metrics.getSessionMetric(DefaultSessionMetric.CQL_CLIENT_TIMEOUTS))
        .filter(Counter.class::isInstance).map(Counter.class::cast)
        .ifPresent(timeouts -> FunctionCounter.builder(NodeMetrics.PREFIX + "cassandra_client_timeouts", timeouts,
                Counter::getCount)
            .description("CQL requests our session gave up on after the driver's request timeout")
            .register(registry));
  }

  private static void quantile(MeterRegistry registry, Timer timer, String quantile) {
    double q = Double.parseDouble(quantile);
    Gauge.builder(NodeMetrics.PREFIX + "cassandra_request_latency_seconds", timer,
            t -> (q >= 1.0 ? t.getSnapshot().getMax() : t.getSnapshot().getValue(q)) / NANOS_PER_SECOND)
        .description("CQL request latency of our session at this quantile, over the driver's refresh interval")
        .tag("quantile", quantile)
        .strongReference(true)
        .register(registry);
  }
}
