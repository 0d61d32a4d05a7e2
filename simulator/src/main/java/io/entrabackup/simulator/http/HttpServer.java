package io.entrabackup.simulator.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/** The HTTPS transport: reads each request fully, hands it to the router, and writes (or deliberately damages) the answer. */
public final class HttpServer {
  private static final Duration BODY_TIMEOUT = Duration.ofSeconds(10);
  /** Lets the first chunk reach the client before the connection is aborted. */
  private static final long RESET_AFTER_MILLIS = 50;
  /** Smaller answers go out as they are: compressing them saves nothing worth the CPU. */
  private static final int GZIP_MIN_BYTES = 1024;
  private static final int GZIP_BUFFER = 64 * 1024;

  private final ActorSystem<?> system;
  private final Materializer materializer;

  public HttpServer(ActorSystem<?> system) {
    this.system = system;
    this.materializer = Materializer.matFromSystem(system);
  }

  /** Binds and completes when listening. */
  public CompletionStage<ServerBinding> bind(String host, int port, SSLContext ssl, Function<Req, Resp> router) {
    return Http.get(system).newServerAt(host, port)
        .enableHttps(ConnectionContext.httpsServer(ssl))
        .bind((org.apache.pekko.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>>) request -> handle(request, router));
  }

  private CompletionStage<HttpResponse> handle(HttpRequest request, Function<Req, Resp> router) {
    return request.entity().toStrict(BODY_TIMEOUT.toMillis(), materializer).thenCompose(strict -> {
      Map<String, String> headers = new HashMap<>();
      for (HttpHeader h : request.getHeaders()) {
        headers.put(h.lowercaseName(), h.value());
      }
      String ct = request.entity().getContentType().toString();
      headers.putIfAbsent("content-type", ct);
      Req req = Req.of(request.method().name(), request.getUri().path(), request.getUri().rawQueryString().orElse(""),
          headers, strict.getData().toArray());
      Resp resp;
      try {
        resp = router.apply(req);
      } catch (RuntimeException e) {
        system.log().error("Simulator route failed for {} {}", req.method(), req.path(), e);
        resp = Resp.json(500, Json.bytes(Map.of("error", Map.of("code", "InternalServerError", "message", String.valueOf(e)))));
      }
      HttpResponse out = toHttp(resp, acceptsGzip(headers.get("accept-encoding")));
      if (resp.delayMillis() > 0) {
        return CompletableFuture.supplyAsync(() -> out,
            CompletableFuture.delayedExecutor(resp.delayMillis(), TimeUnit.MILLISECONDS));
      }
      return CompletableFuture.completedFuture(out);
    });
  }

  private static HttpResponse toHttp(Resp resp, boolean gzip) {
    HttpResponse r = HttpResponse.create().withStatus(StatusCodes.get(resp.status()));
    for (Map.Entry<String, String> h : resp.headers().entrySet()) {
      if (!h.getKey().equalsIgnoreCase("content-type")) {
        r = r.addHeader(RawHeader.create(h.getKey(), h.getValue()));
      }
    }
    ContentType contentType = contentType(resp.contentType());
    switch (resp.fault()) {
      case RESET -> {
        // Headers and a first chunk go out, then the body stream fails: the server aborts the connection mid-response.
        return r.withStatus(StatusCodes.OK).withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_JSON,
            Source.single(ByteString.fromString("{\"value\":[")).concat(
                Source.<ByteString>failed(new SimulatedReset())
                    .initialDelay(Duration.ofMillis(RESET_AFTER_MILLIS)))));
      }
      case TRUNCATE -> {
        // A well-formed HTTP response whose JSON stops in the middle: the client must treat the page as failed.
        byte[] half = new byte[Math.max(1, resp.body().length / 2)];
        System.arraycopy(resp.body(), 0, half, 0, half.length);
        return r.withEntity(HttpEntities.create(contentType, half));
      }
      default -> {
        if (resp.body().length == 0 && (resp.status() == 204 || resp.contentType() == null)) {
          return r.withEntity(HttpEntities.EMPTY);
        }
        if (gzip && resp.body().length >= GZIP_MIN_BYTES) {
          return r.addHeader(RawHeader.create("Content-Encoding", "gzip"))
              .withEntity(HttpEntities.create(contentType, gzip(resp.body())));
        }
        return r.withEntity(HttpEntities.create(contentType, resp.body()));
      }
    }
  }

  /**
   * Graph compresses its answers for clients that send {@code Accept-Encoding: gzip} (OkHttp, under the Graph SDK,
   * always does, and unpacks them transparently). Cut pages are never compressed: a half gzip stream would fail in the
   * client's decompressor rather than in its JSON parser, which is not the fault being simulated.
   */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String coding : acceptEncoding.split(",")) {
      String[] parts = coding.strip().split(";");
      if (parts[0].strip().equalsIgnoreCase("gzip")) {
        return parts.length < 2 || quality(parts[1]) > 0;
      }
    }
    return false;
  }

  /** The weight of a {@code q=...} parameter (1 when it is not one or not a number). */
  private static double quality(String parameter) {
    String[] nameValue = parameter.strip().split("=", 2);
    if (nameValue.length < 2 || !nameValue[0].strip().equalsIgnoreCase("q")) {
      return 1;
    }
    try {
      return Double.parseDouble(nameValue[1].strip());
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** Fastest level: the simulator's CPU is the machine's too, and JSON shrinks five- to tenfold even so. */
  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out, GZIP_BUFFER) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    }) {
      zip.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException("gzip into memory cannot fail", e);
    }
    return out.toByteArray();
  }

  private static ContentType contentType(String value) {
    if (value == null) {
      return ContentTypes.APPLICATION_OCTET_STREAM;
    }
    String v = value.toLowerCase(Locale.ROOT);
    if (v.startsWith("text/html")) {
      return ContentTypes.TEXT_HTML_UTF8;
    }
    if (v.startsWith("application/json")) {
      return ContentTypes.APPLICATION_JSON;
    }
    return ContentTypes.create(org.apache.pekko.http.javadsl.model.MediaTypes.TEXT_PLAIN, org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8);
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** The failure that aborts a connection on purpose; no stack trace, it is not a bug. */
  private static final class SimulatedReset extends RuntimeException {
    SimulatedReset() {
      super("simulated connection reset (fault injection)", null, false, false);
    }
  }
}
