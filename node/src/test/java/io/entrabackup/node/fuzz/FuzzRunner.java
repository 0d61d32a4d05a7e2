package io.entrabackup.node.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sends the run's requests to one node, {@code concurrency} at a time: through the JDK client, or byte for byte over
 * a socket when the client cannot send one as written. Answers come back in the requests' order.
 */
public final class FuzzRunner {

  /** What the node answered; status 0 when it answered nothing ({@code failure} says why). */
  public record Answer(FuzzRequest request, int status, String contentType, String body, String failure, long millis) {

    Answer timed(long startedNanos) {
      return new Answer(request, status, contentType, body, failure, (System.nanoTime() - startedNanos) / 1_000_000);
    }
  }

  private static final int MAX_BODY = 256 * 1024;

  private final int port;
  private final HttpClient http;

  public FuzzRunner(int port) {
    this.port = port;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  public List<Answer> run(List<FuzzRequest> requests, int concurrency) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<Answer>> answers = new ArrayList<>();
      for (FuzzRequest request : requests) {
        answers.add(pool.submit(() -> {
          long started = System.nanoTime();
          return send(request).timed(started);
        }));
      }
      List<Answer> done = new ArrayList<>();
      for (Future<Answer> answer : answers) {
        done.add(answer.get());
      }
      return done;
    } finally {
      pool.shutdownNow();
    }
  }

  public Answer send(FuzzRequest request) {
    if (request.raw() != null) {
      return raw(request, request.raw());
    }
    HttpRequest built;
    try {
      built = build(request);
    } catch (IllegalArgumentException unsendable) {
      return raw(request, bytes(request));
    }
    try {
      HttpResponse<byte[]> response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
      byte[] body = response.body();
      return new Answer(request, response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
          new String(body, 0, Math.min(body.length, MAX_BODY), StandardCharsets.UTF_8), null, 0);
    } catch (IOException e) {
      return new Answer(request, 0, "", "", e.toString(), 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(request, 0, "", "", "interrupted", 0);
    }
  }

  private HttpRequest build(FuzzRequest request) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + request.path()))
        .timeout(Duration.ofSeconds(30))
        .method(request.method(), request.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    request.headers().forEach(header -> builder.header(header[0], header[1]));
    return builder.build();
  }

  /** The request as an HTTP/1.1 message, for the socket. */
  private byte[] bytes(FuzzRequest request) {
    StringBuilder head = new StringBuilder(request.method()).append(' ').append(request.path()).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(port).append("\r\n");
    request.headers().forEach(header -> head.append(header[0]).append(": ").append(header[1]).append("\r\n"));
    byte[] body = request.body() == null ? new byte[0] : request.body();
    head.append("Connection: close\r\nContent-Length: ").append(body.length).append("\r\n\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    out.writeBytes(body);
    return out.toByteArray();
  }

  private Answer raw(FuzzRequest request, byte[] bytes) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException closedWhileWriting) {
        // The node may answer and close before it has read a huge request: read what it said.
      }
      byte[] answer = readAll(socket.getInputStream());
      return parse(request, new String(answer, StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      return new Answer(request, 0, "", "", e.toString(), 0);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0 && read.size() < MAX_BODY; ) {
        read.write(buffer, 0, n);
        if (complete(read.toString(StandardCharsets.ISO_8859_1))) {
          break;
        }
      }
    } catch (SocketTimeoutException | java.net.SocketException stopped) {
      // What arrived before the node stopped talking is the answer.
    }
    return read.toByteArray();
  }

  /** Whether a whole answer has arrived (the node may keep the connection open after it). */
  private static boolean complete(String text) {
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    for (String line : text.substring(0, end).split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        return text.length() - end - 4 >= Long.parseLong(line.substring("content-length:".length()).strip());
      }
    }
    return text.endsWith("0\r\n\r\n");
  }

  private static Answer parse(FuzzRequest request, String text) {
    if (!text.startsWith("HTTP/")) {
      return new Answer(request, 0, "", text, text.isEmpty() ? "closed without an answer" : "not an HTTP answer", 0);
    }
    int end = text.indexOf("\r\n\r\n");
    String head = end < 0 ? text : text.substring(0, end);
    String body = end < 0 ? "" : text.substring(end + 4);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    String contentType = "";
    for (String line : lines) {
      if (line.toLowerCase().startsWith("content-type:")) {
        contentType = line.substring("content-type:".length()).strip();
      }
    }
    return new Answer(request, status, contentType,
        new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8), null, 0);
  }
}
