package io.entrabackup.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the API (HTTPS when {@code entra-backup.http.tls} says so, with HSTS on every answer) and unbinds it gracefully
 * when the actor system shuts down.
 */
public final class ApiServer {

  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  private ApiServer() {}

  public static CompletionStage<ServerBinding> start(ActorSystem<?> system, Route routes, HttpSettings settings) {
    HttpsSettings tls = HttpsSettings.create(system.settings().config());
    ServerBuilder server;
    Route served;
    try {
      tls.checkPlainHttpAllowedOn(settings.interfaceName());
      server = Http.get(system).newServerAt(settings.interfaceName(), settings.port());
      served = routes;
      if (tls.enabled()) {
        server = server.enableHttps(ConnectionContext.httpsServer(engines(tls.sslContext())));
        // Browsers that saw the header once refuse plain HTTP to this host until max-age passes.
        served = Directives.respondWithDefaultHeader(RawHeader.create("Strict-Transport-Security", tls.hstsHeader()),
            () -> routes);
      }
    } catch (RuntimeException refused) {
      log.error("The API does not start: {}", refused.getMessage());
      return CompletableFuture.failedFuture(refused);
    }
    String scheme = tls.enabled() ? "https" : "http";
    return server
        // A request too malformed for the routes gets a problem document too; a header Pekko cannot read is ignored
        // without a WARN line carrying its value (a stranger chooses it, and it may hold a key).
        .adaptSettings(options -> options.withParsingErrorHandler(ProblemParsingErrorHandler.class.getName())
            .withParserSettings(options.getParserSettings().withIllegalHeaderWarnings(false)))
        .bind(served)
        .thenApply(binding -> binding.addToCoordinatedShutdown(java.time.Duration.ofSeconds(10), system))
        .whenComplete((binding, error) -> {
          if (error != null) {
            log.error("The API could not listen on {}:{}", settings.interfaceName(), settings.port(), error);
          } else {
            log.info("API listening on {}://{}:{}/api/v1", scheme, binding.localAddress().getHostString(),
                binding.localAddress().getPort());
          }
        });
  }

  // A server engine offering only the protocols we accept (no TLS 1.0/1.1).
  private static org.apache.pekko.japi.function.Creator<SSLEngine> engines(SSLContext context) {
    return () -> {
      SSLEngine engine = context.createSSLEngine();
      engine.setUseClientMode(false);
      engine.setEnabledProtocols(HttpsSettings.PROTOCOLS);
      return engine;
    };
  }
}
