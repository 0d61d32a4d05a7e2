package io.entrabackup.http.health;

import io.entrabackup.http.ApiJson;
import io.entrabackup.protocol.api.Health;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /health/live} and {@code GET /health/ready}: 200 when up, 503 with the failing check. */
public final class HealthRoutes extends AllDirectives {

  private static final String UP = "up";

  private final HealthCheck health;

  public HealthRoutes(HealthCheck health) {
    this.health = health;
  }

  public Route routes() {
    return pathPrefix("health", () -> get(() -> concat(
        path("live", () -> complete(StatusCodes.OK, health.live(), ApiJson.marshaller())),
        path("ready", () -> onSuccess(health.ready(), this::answer)))));
  }

  private Route answer(Health result) {
    return complete(
        UP.equals(result.status()) ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
        result,
        ApiJson.marshaller());
  }
}
