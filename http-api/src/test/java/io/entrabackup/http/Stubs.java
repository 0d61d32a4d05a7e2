package io.entrabackup.http;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Collaborators of the routes for tests that need only a few of their answers: any other call fails the test. */
public final class Stubs {

  private Stubs() {}

  /** A collaborator these routes never reach. */
  public static <T> T unused(Class<T> type) {
    return stub(type, Map.of());
  }

  /** A collaborator answering the named methods with the given answers. */
  @SuppressWarnings("unchecked")
  public static <T> T stub(Class<T> type, Map<String, Object> answers) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      if (answers.containsKey(method.getName())) {
        return answers.get(method.getName());
      }
      switch (method.getName()) {
        case "toString" -> { return type.getSimpleName(); }
        case "hashCode" -> { return System.identityHashCode(proxy); }
        case "equals" -> { return proxy == args[0]; }
        default -> { }
      }
      throw new AssertionError(type.getSimpleName() + "." + method.getName() + " was not expected");
    });
  }

  public static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
