package io.entrabackup.http;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds the API and unbinds it gracefully when the actor system shuts down. */
public final class ApiServer {

  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  private ApiServer() {}

  public static CompletionStage<ServerBinding> start(ActorSystem<?> system, Route routes, HttpSettings settings) {
    return Http.get(system)
        .newServerAt(settings.interfaceName(), settings.port())
        // A request too malformed for the routes gets a problem document too; a header Pekko cannot read is ignored
        // without a WARN line carrying its value (a stranger chooses it, and it may hold a key).
        .adaptSettings(server -> server.withParsingErrorHandler(ProblemParsingErrorHandler.class.getName())
            .withParserSettings(server.getParserSettings().withIllegalHeaderWarnings(false)))
        .bind(routes)
        .thenApply(binding -> binding.addToCoordinatedShutdown(java.time.Duration.ofSeconds(10), system))
        .whenComplete((binding, error) -> {
          if (error != null) {
            log.error("The API could not listen on {}:{}", settings.interfaceName(), settings.port(), error);
          } else {
            log.info("API listening on http://{}:{}/api/v1", binding.localAddress().getHostString(),
                binding.localAddress().getPort());
          }
        });
  }
}
