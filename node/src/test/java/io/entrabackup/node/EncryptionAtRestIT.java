package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Encryption at rest, proved on what is stored: a tenant whose users have distinctive names, UPNs, mails and phone
 * numbers is backed up, downloaded and restored (with a skipped item), then every column of every row of every table
 * of the keyspace, and every file the node spooled while building the download, is searched for those values (as
 * text, base64, deflated, gzipped, inside ZIP entries): none may appear. The same search finds them where they are
 * stored in clear, so a clean result means sealed, not unsearched.
 */
class EncryptionAtRestIT {

  private static final Path SPOOL = Path.of("target", "spool-EncryptionAtRestIT-" + Long.toHexString(System.nanoTime()));

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(150).groups(10).seed(41))
          .nodeSettings("entra-backup.download.spool-directory = \"" + SPOOL.toAbsolutePath() + "\"")
          .withAuthorizedTenant();

  private static final String KEY = TestDeployment.KEY;
  /** A word of this run only, so no value is found by chance. */
  private static final String RUN = word(new Random().nextLong());
  private static final List<String> VALUES = new ArrayList<>();
  private static final Map<String, byte[]> spooled = new ConcurrentHashMap<>();
  private static String tenantId;

  @BeforeAll
  static void backUpDownloadAndRestoreADistinctiveTenant() throws Exception {
    tenantId = deployment.tenantId();
    SimulatorGraph graph = deployment.graph();
    String domain = deployment.tenant().domain();
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String name = "Zephyrine Quillfeather" + RUN + i;
      String upn = "zq" + RUN.toLowerCase() + i + "@" + domain;
      String mail = "quill.mail." + RUN.toLowerCase() + i + "@" + domain;
      String mobile = "+1 555 01" + (40 + i) + " " + digits(RUN, i);
      String office = "+44 20 7946 " + digits(RUN, i + 5);
      VALUES.addAll(List.of(name, upn, mail, mobile, office, mobile.replace(" ", "")));
      users.add(graph.ok("POST", "/users", "{\"accountEnabled\":true,\"displayName\":\"" + name
          + "\",\"mailNickname\":\"zq" + RUN + i + "\",\"userPrincipalName\":\"" + upn + "\",\"mail\":\"" + mail
          + "\",\"mobilePhone\":\"" + mobile + "\",\"businessPhones\":[\"" + office + "\"],"
          + "\"passwordProfile\":{\"password\":\"Xq9!" + RUN + "\"}}").get("id").asText());
    }
    String groupName = "Quillfeather Falconers " + RUN;
    VALUES.add(groupName);
    String group = graph.ok("POST", "/groups", "{\"displayName\":\"" + groupName + "\",\"mailEnabled\":false,"
        + "\"mailNickname\":\"qf" + RUN + "\",\"securityEnabled\":true}").get("id").asText();
    for (String user : users) {
      graph.ok("POST", "/groups/" + group + "/members/$ref", graph.ref(user));
    }

    JsonNode backup = deployment.backups().backUpNow(Duration.ofSeconds(90));
    assertEquals("completed", backup.get("state").asText(), backup.toString());

    byte[] zip = downloadWhileWatchingTheSpool();
    assertTrue(new String(zip, StandardCharsets.ISO_8859_1).contains("PK"), "a ZIP came back");
    assertFalse(new StoredBytesScan(List.of("Zephyrine Quillfeather" + RUN + "0")).file("download", zip).found()
        .isEmpty(), "the download the user receives holds the names (decrypted chunk by chunk)");

    // A member deleted for good, then the group restored to the backed-up version: the member is a skipped item.
    String version = deployment.backups().latestVersionId("groups", group);
    graph.ok("DELETE", "/users/" + users.get(2), null);
    graph.ok("DELETE", "/directory/deletedItems/" + users.get(2), null);
    JsonNode restore = deployment.restores().restore("groups", group, version);
    assertEquals("completed_with_skipped_items", restore.get("state").asText(), restore.toString());
  }

  @AfterAll
  static void removeSpool() throws IOException {
    if (Files.exists(SPOOL)) {
      try (Stream<Path> files = Files.walk(SPOOL)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Test
  void noDistinctiveValueIsStoredInClearInAnyTableOrSpoolFile() throws IOException {
    StoredBytesScan scan = new StoredBytesScan(VALUES);
    try (CqlSession session = cql()) {
      scan.keyspace(session, deployment.cassandra().keyspace());
    }
    spooled.forEach((path, bytes) -> scan.file(path, bytes));
    for (Path file : filesUnder(SPOOL)) {
      scan.file(file.toString(), readOrEmpty(file));
    }
    System.out.println("EncryptionAtRestIT scanned " + scan.summary() + "; rows by table: " + scan.rowsByTable());
    for (String table : List.of("messages", "snapshot_versions", "download_chunks", "restore_skipped_items")) {
      assertTrue(scan.rowsByTable().getOrDefault(table, 0L) > 0, "the scan saw data in " + table + ": "
          + scan.rowsByTable());
    }
    assertFalse(spooled.isEmpty(), "the scan saw the download's spool files");
    assertTrue(scan.found().isEmpty(), "stored in clear: " + scan.found());
  }

  @Test
  void theScanFindsTheValuesWhereTheyAreStoredInClear() throws IOException {
    String value = "Zephyrine Quillfeather" + RUN + "0";
    byte[] plain = ("{\"displayName\":\"" + value + "\"}").getBytes(StandardCharsets.UTF_8);
    String keyspace = "scanproof_" + RUN.toLowerCase();
    try (CqlSession session = cql()) {
      session.execute("CREATE KEYSPACE " + keyspace
          + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
      try {
        session.execute("CREATE TABLE " + keyspace + ".clear (id int PRIMARY KEY, as_text text, as_blob blob,"
            + " deflated blob, base64_deflated text, in_list list<text>, zipped blob)");
        session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".clear (id, as_text) VALUES (1, ?)",
            value.toLowerCase()));
        session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".clear (id, as_blob) VALUES (2, ?)",
            ByteBuffer.wrap(plain)));
        session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".clear (id, deflated) VALUES (3, ?)",
            ByteBuffer.wrap(deflate(plain))));
        session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace
            + ".clear (id, base64_deflated) VALUES (4, ?)", Base64.getEncoder().encodeToString(deflate(plain))));
        session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".clear (id, in_list) VALUES (5, ?)",
            List.of("x", value)));
        byte[] zip = zip(plain);
        session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".clear (id, zipped) VALUES (6, ?)",
            ByteBuffer.wrap(java.util.Arrays.copyOfRange(zip, 0, zip.length - 40))));
        StoredBytesScan scan = new StoredBytesScan(List.of(value)).keyspace(session, keyspace)
            .file("spooled in clear", deflate(plain));
        for (String column : List.of("as_text", "as_blob", "deflated", "base64_deflated", "in_list", "zipped")) {
          assertTrue(scan.found().keySet().stream().anyMatch(where -> where.startsWith("clear." + column)),
              column + " not found: " + scan.found());
        }
        assertTrue(scan.found().keySet().stream().anyMatch(where -> where.startsWith("spooled in clear")));
      } finally {
        session.execute("DROP KEYSPACE IF EXISTS " + keyspace);
      }
    }
  }

  /** Builds the tenant ZIP while a watcher copies every file that appears under the spool directory; its bytes. */
  private static byte[] downloadWhileWatchingTheSpool() throws Exception {
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher = new Thread(() -> {
      while (watching.get()) {
        for (Path file : filesUnder(SPOOL)) {
          byte[] bytes = readOrEmpty(file);
          spooled.merge(file.toString(), bytes, (old, now) -> now.length >= old.length ? now : old);
        }
        Thread.onSpinWait();
      }
    }, "spool-watcher");
    watcher.start();
    JsonNode job;
    try {
      job = buildTenantDownload();
    } finally {
      watching.set(false);
      watcher.join();
    }
    HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + deployment.node().port + job.get("download").get("link").asText())).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode());
    return response.body();
  }

  /** Starts a tenant download and waits until System Status shows it ready. */
  private static JsonNode buildTenantDownload() {
    TestNode node = deployment.node();
    String jobId = node.ok(node.send("POST", "/api/v1/tenants/" + tenantId + "/downloads", "{\"scope\":\"tenant\"}",
        KEY), 202).get("id").asText();
    JsonNode[] job = new JsonNode[1];
    node.await(Duration.ofSeconds(60), () -> {
      job[0] = node.ok(node.send("GET", "/api/v1/jobs/" + jobId, null, KEY), 200);
      String state = job[0].get("state").asText();
      assertTrue(state.equals("failed") || state.equals("completed") && job[0].path("download").has("link"),
          job[0].toString());
    });
    assertEquals("completed", job[0].get("state").asText(), job[0].toString());
    return job[0];
  }

  private static List<Path> filesUnder(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile).toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of(); // a build removed its spool while we walked it: the next pass sees what is left
    }
  }

  private static byte[] readOrEmpty(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new byte[0];
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static CqlSession cql() {
    return CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", 9042))
        .withLocalDatacenter("datacenter1").build();
  }

  private static byte[] deflate(byte[] plain) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(plain);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[1024];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return out.toByteArray();
  }

  private static byte[] zip(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("users/one.json"));
      zip.write(plain);
      zip.closeEntry();
    }
    return out.toByteArray();
  }

  private static String word(long seed) {
    Random random = new Random(seed);
    StringBuilder word = new StringBuilder("X");
    for (int i = 0; i < 7; i++) {
      word.append((char) ('a' + random.nextInt(26)));
    }
    return word.toString();
  }

  private static String digits(String word, int salt) {
    return String.format("%04d", Math.floorMod(word.hashCode() * 31 + salt, 10_000));
  }
}
