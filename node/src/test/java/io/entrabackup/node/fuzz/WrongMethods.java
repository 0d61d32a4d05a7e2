package io.entrabackup.node.fuzz;

import io.entrabackup.node.fuzz.FuzzRequest.Expect;
import io.entrabackup.node.fuzz.RouteTable.Route;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Every route asked with a method it does not serve (made-up and lower-case ones too), with or without a body. */
final class WrongMethods implements FuzzCategory {

  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE",
      "HEAD", "PROPFIND", "FOO", "get", "post", "M-SEARCH", "BREW");

  @Override
  public String name() {
    return "wrong-methods";
  }

  @Override
  public FuzzRequest next(Random random, Targets targets) {
    Route route = RouteTable.any(random);
    Set<String> served = Stream.of(RouteTable.API, RouteTable.OPEN, RouteTable.NOT_SENT).flatMap(List::stream)
        .filter(other -> path(other).equals(path(route)))
        .map(Route::method)
        .collect(Collectors.toSet());
    List<String> wrong = METHODS.stream()
        .filter(method -> !served.contains(method))
        // HEAD is GET without the body: a GET route serves it.
        .filter(method -> !(method.equals("HEAD") && served.contains("GET")))
        .toList();
    String method = Hostile.pick(random, wrong);
    FuzzRequest request = FuzzRequest.of(name(), Expect.REFUSED, method, targets.fill(route.template()))
        .withKey(targets.keyA());
    return random.nextBoolean() ? request : request.withBody("{\"version\":\"" + targets.versionA() + "\"}");
  }

  private static String path(Route route) {
    int query = route.template().indexOf('?');
    return query < 0 ? route.template() : route.template().substring(0, query);
  }
}
