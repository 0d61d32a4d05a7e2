package io.entrabackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a small stand-in server (the JDK's): what it makes of problem documents, of a job that fails,
 * and of a download whose bytes do not match its stated SHA-256. The real API is CliIT's (node).
 */
class AgainstAServerTest {

  private static final String KEY = "eb_test_key";
  private static final String JOB = "8a3c1f5e-0000-1000-8000-000000000001";

  private HttpServer server;
  private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
  private final Map<String, String> seenAuthorization = new ConcurrentHashMap<>();

  @TempDir
  Path folder;

  record Answer(int status, String contentType, byte[] body) {
    static Answer json(int status, String json) {
      return new Answer(status, status >= 400 ? "application/problem+json" : "application/json",
          json.getBytes(StandardCharsets.UTF_8));
    }
  }

  record Run(int status, String out, String err) {}

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    seenAuthorization.put(path, String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
    Deque<Answer> queue = answers.get(path);
    Answer answer = queue == null ? Answer.json(404, "{\"title\":\"Not found\",\"status\":404}")
        : queue.size() > 1 ? queue.poll() : queue.peek();
    exchange.getResponseHeaders().add("Content-Type", answer.contentType());
    if (answer.status() == 429) {
      exchange.getResponseHeaders().add("Retry-After", "1");
    }
    exchange.sendResponseHeaders(answer.status(), answer.body().length);
    exchange.getResponseBody().write(answer.body());
    exchange.close();
  }

  private void on(String path, Answer... sequence) {
    answers.put(path, new ArrayDeque<>(java.util.List.of(sequence)));
  }

  private Run cli(String... args) {
    return cli(false, args);
  }

  private Run cli(boolean terminal, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> environment = Map.of("ENTRA_API_KEY", KEY,
        "ENTRA_URL", "http://127.0.0.1:" + server.getAddress().getPort());
    int status = EntraBackup.execute(args, environment, new PrintWriter(out), new PrintWriter(err), terminal);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void aProblemDocumentIsOneLineOnStderrWithItsExitStatus() {
    on("/api/v1/tenants", Answer.json(403, "{\"type\":\"forbidden\",\"title\":\"Forbidden\",\"status\":403,"
        + "\"detail\":\"This key lacks the read scope\\n\\u001b[1mpretend\"}"));
    Run run = cli("tenants", "list");
    assertEquals(ExitCode.FORBIDDEN, run.status());
    assertEquals("", run.out());
    assertEquals("entra-backup: Forbidden: This key lacks the read scope  [1mpretend (HTTP 403)",
        run.err().strip());
    assertEquals("Bearer " + KEY, seenAuthorization.get("/api/v1/tenants"));
  }

  @Test
  void aRequestOverTheKeysRateIsSentAgainAfterRetryAfter() {
    Answer tooMany = Answer.json(429, "{\"title\":\"Too many requests\",\"status\":429}");
    on("/api/v1/tenants", tooMany, Answer.json(200, "{\"items\":[]}"));
    Run run = cli("tenants", "list", "--json");
    assertEquals(0, run.status(), run.toString());
    assertEquals("{\"items\":[]}", run.out().strip());
    on("/api/v1/tenants", tooMany);
    Run refused = cli("tenants", "list");
    assertEquals(ExitCode.UNAVAILABLE, refused.status(), "still over the rate after three waits: " + refused);
  }

  @Test
  void aBodyThatIsNotAProblemIsNotEchoed() {
    on("/api/v1/tenants", new Answer(502, "text/html", "<html>proxy error</html>".getBytes(StandardCharsets.UTF_8)));
    Run run = cli("tenants", "list");
    assertEquals(ExitCode.UNAVAILABLE, run.status());
    assertEquals("entra-backup: HTTP 502 (HTTP 502)", run.err().strip());
  }

  @Test
  void aWatchedJobThatFailsExitsOneWithALinePerChange() {
    on("/api/v1/jobs/" + JOB,
        Answer.json(200, "{\"id\":\"" + JOB + "\",\"kind\":\"backup\",\"state\":\"queued\",\"summary\":{}}"),
        Answer.json(200, "{\"id\":\"" + JOB + "\",\"kind\":\"backup\",\"state\":\"running\","
            + "\"summary\":{\"objectsDone\":5,\"typesDone\":1,\"typesTotal\":5}}"),
        Answer.json(200, "{\"id\":\"" + JOB + "\",\"kind\":\"backup\",\"state\":\"running\","
            + "\"summary\":{\"objectsDone\":5,\"typesDone\":1,\"typesTotal\":5}}"),
        Answer.json(200, "{\"id\":\"" + JOB + "\",\"kind\":\"backup\",\"state\":\"failed\",\"error\":\"consent "
            + "revoked\",\"summary\":{\"objectsDone\":5,\"typesDone\":1,\"typesTotal\":5}}"));
    Run run = cli("jobs", "watch", JOB, "--interval", "100ms");
    assertEquals(ExitCode.FAILED, run.status(), run.toString());
    assertEquals(java.util.List.of(
        "job " + JOB + " queued: 0 objects",
        "job " + JOB + " running: 5 objects, 1/5 types",
        "job " + JOB + " failed: 5 objects, 1/5 types"), run.err().lines().toList(), "one line per change");
    assertEquals("backup " + JOB + " failed: 5 objects, 1/5 types — consent revoked", run.out().strip());
  }

  @Test
  void onATerminalTheBarIsRedrawnInPlace() {
    on("/api/v1/jobs/" + JOB,
        Answer.json(200, "{\"id\":\"" + JOB + "\",\"kind\":\"download\",\"state\":\"running\","
            + "\"summary\":{\"objectsDone\":10,\"objectsTotal\":40}}"),
        Answer.json(200, "{\"id\":\"" + JOB + "\",\"kind\":\"download\",\"state\":\"completed\","
            + "\"summary\":{\"objectsDone\":40,\"objectsTotal\":40}}"));
    Run run = cli(true, "download", "wait", JOB, "--interval", "100ms");
    assertEquals(ExitCode.OK, run.status(), run.toString());
    assertEquals("\r[########......................]  25%  10/40 objects  running"
        + "\r[##############################] 100%  40/40 objects  completed" + System.lineSeparator(), run.err());
    assertEquals("download " + JOB + " completed: 40/40 objects", run.out().strip());
  }

  @Test
  void aDownloadWhoseBytesDoNotMatchItsSha256IsRefusedAndNotKept() throws IOException {
    byte[] served = "not the zip the job describes".getBytes(StandardCharsets.UTF_8);
    String link = "/api/v1/downloads/" + JOB + "/content";
    on("/api/v1/jobs/" + JOB, Answer.json(200, "{\"id\":\"" + JOB + "\",\"kind\":\"download\",\"state\":\"completed\","
        + "\"download\":{\"fileName\":\"../../etc/evil.zip\",\"sizeBytes\":" + served.length + ",\"sha256\":\""
        + "0".repeat(64) + "\",\"link\":\"" + link + "?expires=1&signature=s\"}}"));
    on(link, new Answer(200, "application/zip", served));
    Path target = folder.resolve("out.zip");
    Run run = cli("download", "fetch", JOB, "-o", target.toString());
    assertEquals(ExitCode.FAILED, run.status(), run.toString());
    assertTrue(run.err().contains("SHA-256 mismatch"), run.err());
    assertFalse(Files.exists(target));
    assertFalse(Files.exists(folder.resolve("out.zip.part")));
    assertEquals("null", seenAuthorization.get(link), "the signed link is sent without the API key");
  }

  @Test
  void aFileNameFromTheServerNeverLeavesTheFolder() {
    assertEquals("contoso-2026.zip", DownloadFetch.fileName("contoso-2026.zip", JOB));
    assertEquals("download-" + JOB + ".zip", DownloadFetch.fileName("../../etc/passwd", JOB));
    assertEquals("download-" + JOB + ".zip", DownloadFetch.fileName(".hidden", JOB));
    assertEquals("download-" + JOB + ".zip", DownloadFetch.fileName("a/b.zip", JOB));
  }
}
