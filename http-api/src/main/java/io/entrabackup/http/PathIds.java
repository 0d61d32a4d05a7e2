package io.entrabackup.http;

import io.entrabackup.protocol.TenantId;
import java.util.UUID;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/** The ids an API path carries, read the same way by every route that takes them. */
public final class PathIds {

  private PathIds() {}

  /** The routes for the tenant {@code text} names, or a 400 saying why it is not a tenant id. */
  public static Route withTenantId(String text, Function<TenantId, Route> inner) {
    TenantId id;
    try {
      id = TenantId.parse(text);
    } catch (IllegalArgumentException e) {
      return Directives.complete(Problems.badRequest(e.getMessage()));
    }
    return inner.apply(id);
  }

  /** Job ids are the time-based (version 1) UUIDs the cluster gives out; any other text names no job. */
  public static boolean isJobId(String text) {
    try {
      return UUID.fromString(text).version() == 1;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
