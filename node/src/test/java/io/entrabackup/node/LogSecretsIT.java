package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.testing.TestMasterKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Every log line of a whole node run, written as production writes it (Logback's JsonEncoder, one object a line),
 * captured in process from the node's start through a journey: consent, Backup Now with a client's request id, a
 * download, a restore that recreates a hard-deleted user with a temporary password, an API key created. No line may
 * hold a secret: API keys, the client secret, a token the identity platform issued (any JWT), the temporary password,
 * the signing key, the master key. A job's lines carry tenantId, jobId and jobKind, its start and end lines exist with
 * their counts, and the request id of Backup Now reaches the run's lines and Graph as {@code client-request-id}.
 */
class LogSecretsIT {

  /** Attached before the deployment starts (static initialisers run before the extension's beforeAll). */
  private static final CapturedLog LOG = CapturedLog.attach();

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(30).groups(4).seed(19))
          .withAuthorizedTenant();

  private static final String KEY = TestDeployment.KEY;
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.eyJ[A-Za-z0-9_-]{4,}");
  private static final String BACKUP_REQUEST = UUID.randomUUID().toString();

  private static String backupJob;
  private static String restoreJob;
  private static String downloadJob;
  private static String downloadRequest;
  private static String restoreRequest;
  private static String createdKey;
  private static String temporaryPassword;
  private static HttpResponse<String> hostile;

  @BeforeAll
  static void runTheJourney() throws Exception {
    TestNode node = deployment.node();
    String tenantId = deployment.tenantId();
    SimulatorGraph graph = deployment.graph();
    String user = graph.ok("POST", "/users", "{\"accountEnabled\":true,\"displayName\":\"Log Secrets\","
        + "\"mailNickname\":\"logsecrets\",\"userPrincipalName\":\"logsecrets@" + deployment.tenant().domain()
        + "\",\"passwordProfile\":{\"password\":\"Initial-Pa55word!\"}}").get("id").asText();

    HttpResponse<String> accepted = send(node, "POST", "/api/v1/tenants/" + tenantId + "/backups",
        BACKUP_REQUEST.toUpperCase());
    assertEquals(202, accepted.statusCode(), accepted.body());
    assertEquals(BACKUP_REQUEST, accepted.headers().firstValue("X-Request-Id").orElse(""),
        "a client's well-formed id is answered back, lower-cased");
    backupJob = TestNode.jobId(TestNode.read(accepted.body()));
    JsonNode backup = node.awaitJob(backupJob, KEY, Duration.ofSeconds(90));
    assertEquals("completed", backup.get("state").asText());
    assertEquals(BACKUP_REQUEST, backup.path("requestId").asText(), "the job keeps its request id: " + backup);

    HttpResponse<String> download = node.send("POST", "/api/v1/tenants/" + tenantId + "/downloads",
        "{\"scope\":\"tenant\"}", KEY);
    assertEquals(202, download.statusCode(), download.body());
    downloadRequest = download.headers().firstValue("X-Request-Id").orElseThrow();
    downloadJob = TestNode.read(download.body()).get("id").asText();
    JsonNode downloaded = node.awaitJob(downloadJob, KEY, Duration.ofSeconds(90));
    assertEquals("completed", downloaded.get("state").asText());
    assertEquals(downloadRequest, downloaded.path("requestId").asText(), "the id made for the request: " + downloaded);

    String version = deployment.backups().latestVersionId("users", user);
    graph.ok("DELETE", "/users/" + user, null);
    graph.ok("DELETE", "/directory/deletedItems/" + user, null);
    deployment.backups().backUpNow(Duration.ofSeconds(90));
    JsonNode restore = deployment.restores().restore("users", user, version, Duration.ofSeconds(90));
    restoreJob = restore.get("id").asText();
    restoreRequest = restore.path("requestId").asText();
    assertEquals(restoreRequest, UUID.fromString(restoreRequest).toString(), "the restore's own request id");
    assertEquals("recreate", restore.get("restore").get("action").asText(), restore.toString());
    temporaryPassword = restore.get("restore").get("temporaryPassword").asText();
    assertTrue(temporaryPassword.length() >= 16, restore.toString());

    String account = node.get("/api/v1/tenants/" + tenantId, KEY).get("account").asText();
    createdKey = node.ok(node.send("POST", "/api/v1/accounts/" + account + "/keys",
        "{\"name\":\"log-secrets\",\"scopes\":[\"read\"]}", KEY), 201).get("key").asText();
    assertEquals(200, node.send("GET", "/api/v1/tenants", null, createdKey).statusCode(), "the new key works");

    hostile = send(node, "GET", "/api/v1/tenants", "not-a-uuid<script>alert(1)</script>");
    Thread.sleep(500); // the last callbacks' lines
  }

  @Test
  void noLineHoldsASecret() {
    List<String> lines = LOG.lines();
    assertTrue(lines.size() > 50, "the whole run was captured: " + lines.size() + " lines");
    Map<String, String> secrets = Map.of("bootstrap API key", KEY, "created API key", createdKey,
        "client secret", TestNode.CLIENT_SECRET, "signing key", TestNode.SIGNING_KEY,
        "master key", TestMasterKey.BASE64, "temporary password", temporaryPassword);
    for (String line : lines) {
      secrets.forEach((what, secret) -> assertFalse(line.contains(secret), what + " in a log line: " + line));
      assertFalse(JWT.matcher(line).find(), "a token in a log line: " + line);
    }
  }

  @Test
  void aJobsLinesCarryItsIdsAndItsRequestId() {
    List<JsonNode> backup = LOG.json().stream().filter(line -> backupJob.equals(mdc(line, "jobId"))).toList();
    assertFalse(backup.isEmpty(), "the backup's lines carry its job id");
    for (JsonNode line : backup) {
      assertEquals(deployment.tenantId(), mdc(line, "tenantId"), line.toString());
      assertEquals("backup", mdc(line, "jobKind"), line.toString());
      assertEquals(BACKUP_REQUEST, mdc(line, "requestId"), line.toString());
    }
    assertTrue(backup.stream().anyMatch(line -> message(line).startsWith("Job started: backup " + backupJob)),
        "a start line");
    JsonNode ended = backup.stream().filter(line -> message(line).startsWith("Job ended: backup " + backupJob))
        .findFirst().orElseThrow(() -> new AssertionError("no end line"));
    assertTrue(message(ended).matches(".* completed in \\d+ ms: \\d+ objects written, \\d+ unchanged \\(users \\d+"
        + " written \\d+ unchanged.*\\); \\d+ Graph requests, \\d+ bytes"), message(ended));
    assertTrue(message(ended).contains("objects written"), message(ended));

    List<JsonNode> restore = LOG.json().stream().filter(line -> restoreJob.equals(mdc(line, "jobId"))).toList();
    assertTrue(restore.stream().allMatch(line -> "restore".equals(mdc(line, "jobKind"))
        && restoreRequest.equals(mdc(line, "requestId"))), restore.toString());
    assertTrue(restore.stream().anyMatch(line -> message(line).matches("Job ended: restore .* \\d+ writes, \\d+"
        + " skipped.*")), restore.toString());
    List<JsonNode> download = LOG.json().stream().filter(line -> downloadJob.equals(mdc(line, "jobId"))).toList();
    assertTrue(download.stream().allMatch(line -> "download".equals(mdc(line, "jobKind"))
        && downloadRequest.equals(mdc(line, "requestId"))), download.toString());
    assertTrue(download.stream().anyMatch(line -> message(line).matches("Job ended: download .* completed in \\d+ ms:"
        + " \\d+ objects, \\d+ bytes, \\d+ chunks")), download.toString());
    System.out.println("LogSecretsIT: a backup's end line as production writes it: " + LOG.lines().stream()
        .filter(line -> line.contains("Job ended: backup " + backupJob)).findFirst().orElse("").strip());
  }

  @Test
  void backupNowsRequestIdReachesGraph() {
    Map<String, Long> received = deployment.simulator().admin().requestLog().clientRequestIds();
    assertTrue(received.getOrDefault(BACKUP_REQUEST, 0L) >= 5, "every page of the run carried the request id: "
        + received.getOrDefault(BACKUP_REQUEST, 0L));
    assertTrue(received.getOrDefault(restoreRequest, 0L) >= 1, "and the restore's its own");
  }

  @Test
  void aHostileRequestIdIsReplacedNotEchoed() {
    String answered = hostile.headers().firstValue("X-Request-Id").orElse("");
    assertEquals(200, hostile.statusCode());
    assertNotEquals("not-a-uuid<script>alert(1)</script>", answered);
    assertEquals(answered, UUID.fromString(answered).toString(), "a fresh UUID instead: " + answered);
    assertTrue(LOG.lines().stream().noneMatch(line -> line.contains("<script>")), "nor logged");
  }

  private static HttpResponse<String> send(TestNode node, String method, String path, String requestId)
      throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + path))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .header("Authorization", "Bearer " + KEY)
        .header("X-Request-Id", requestId)
        .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String mdc(JsonNode line, String key) {
    return line.path("mdc").path(key).asText(null);
  }

  private static String message(JsonNode line) {
    return line.path("formattedMessage").asText("");
  }

  /**
   * Every event of the root logger, encoded as it happens (no queue to lose lines in) by the encoder of the node's
   * logback.xml with {@code ENTRA_LOG_FORMAT=json}: the lines production writes.
   */
  private static final class CapturedLog extends AppenderBase<ILoggingEvent> {
    private final List<String> lines = new ArrayList<>();
    private JsonEncoder encoder;

    static CapturedLog attach() {
      LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
      CapturedLog log = new CapturedLog();
      log.setContext(context);
      log.encoder = productionEncoder();
      log.start();
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(log);
      ((Logger) LoggerFactory.getLogger("io.entrabackup")).setLevel(ch.qos.logback.classic.Level.DEBUG);
      return log;
    }

    @SuppressWarnings("unchecked")
    private static JsonEncoder productionEncoder() {
      LoggerContext production = new LoggerContext();
      production.setMDCAdapter(org.slf4j.MDC.getMDCAdapter());
      production.putProperty("ENTRA_LOG_FORMAT", "json");
      var configurator = new ch.qos.logback.classic.joran.JoranConfigurator();
      configurator.setContext(production);
      try {
        configurator.doConfigure(java.nio.file.Path.of("src", "main", "resources", "logback.xml").toFile());
      } catch (ch.qos.logback.core.joran.spi.JoranException e) {
        throw new IllegalStateException(e);
      }
      var async = (ch.qos.logback.classic.AsyncAppender) production.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
          .getAppender("ASYNC");
      var json = (ch.qos.logback.core.OutputStreamAppender<ILoggingEvent>) async.getAppender("json");
      return (JsonEncoder) json.getEncoder();
    }

    @Override
    protected void append(ILoggingEvent event) {
      if (event.getLoggerName().startsWith("io.entrabackup.simulator")) {
        return; // Microsoft's side of the run, in process here: it issues the tokens
      }
      String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
      synchronized (lines) {
        lines.add(line);
      }
    }

    List<String> lines() {
      synchronized (lines) {
        return List.copyOf(lines);
      }
    }

    List<JsonNode> json() {
      return lines().stream().map(TestNode::read).toList();
    }
  }
}
