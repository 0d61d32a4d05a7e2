package io.entrabackup.http.auth;

import io.entrabackup.http.ApiJson;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.SessionView;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /session}: the key's own account, id and scopes, for any valid key whatever its scopes. A client learns
 * from it which account to manage and which buttons to offer; it tells the key nothing it could not learn by trying,
 * and reading it is not audited (no read is).
 */
public final class SessionRoutes extends AllDirectives {

  public Route routes(Caller caller) {
    return path("session", () -> get(() ->
        complete(StatusCodes.OK, SessionView.of(caller), ApiJson.marshaller())));
  }
}
