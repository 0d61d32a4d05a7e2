package io.entrabackup.node.ops;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.entrabackup.cluster.metrics.NodeMetrics;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * {@code GET /metrics}: this node's metrics in Prometheus text format (cluster/METRICS.md lists them), on the Pekko
 * Management port. Registered in {@code pekko.management.http.routes}.
 *
 * <p>Why here and not on the API port: the management port is the internal one (loopback unless deploy/ opens it to
 * the cluster's network, never published to MSP users), where the cluster, shard and health endpoints already are, and
 * where Prometheus' Kubernetes service discovery and a pod's {@code prometheus.io/port} annotation point scrapers; the
 * API port answers MSP accounts with API keys, which a scraper should not hold. Nothing on the page is tenant data: no
 * label carries a tenant, job, account or object id or name (tenants appear only as a size class), so reaching the
 * page tells the counts of the whole node and nothing about any directory.
 */
public final class MetricsRoutes implements ManagementRouteProvider {

  private final NodeMetrics metrics;

  public MetricsRoutes(ExtendedActorSystem classic) {
    this.metrics = NodeMetrics.get(Adapter.toTyped(classic));
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    // Prometheus' text exposition format 0.0.4: plain text, which is what every scraper reads without negotiation.
    return path("metrics", () -> get(() -> complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8,
        metrics.scrape()))));
  }
}
