package io.entrabackup.http.auth;

import io.entrabackup.http.Problems;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.Scope;
import io.entrabackup.protocol.api.Problem;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The scope check every API route passes: a key without the route's scope is answered 403 with a problem naming the
 * scope, so an integrator knows which key to ask for.
 */
public final class RequireScope extends AllDirectives {

  private static final RequireScope INSTANCE = new RequireScope();

  private RequireScope() {}

  public static Route require(Caller caller, Scope scope, Supplier<Route> inner) {
    return caller.has(scope) ? inner.get() : INSTANCE.complete(missing(scope));
  }

  public static HttpResponse missing(Scope scope) {
    return Problems.response(Problem.of("missing-scope", "Forbidden", 403,
        "This API key lacks the '" + scope.apiName() + "' scope that this request needs"));
  }
}
