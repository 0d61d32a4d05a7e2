package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.cli.EntraBackup;
import io.entrabackup.simulator.SimulatorConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line client end to end, in process against a node, the simulator and the real Cassandra: its tables and
 * --json, a backup watched to its end, a download fetched, resumed and checked, a restore planned and run with its
 * skipped items, keys created and revoked, and the exit statuses scripts rely on.
 */
class CliIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(24).groups(4).seed(41))
          // Small chunks: the ZIP spans several, so a resumed fetch starts inside a chunk.
          .nodeSettings("entra-backup.download.chunk-size = 4k")
          .withAuthorizedTenant();

  private static final String KEY = TestDeployment.KEY;
  private static final Pattern STARTED = Pattern.compile("(?:restore|download|backup|job) ([0-9a-f-]{36})");

  private static TestNode node;
  private static String tenantId;
  private static String url;

  @TempDir
  Path folder;

  /** One run of the client: its exit status and what it wrote. */
  record Run(int status, String out, String err) {
    JsonNode json() {
      return TestNode.read(out);
    }

    @Override
    public String toString() {
      return "exit " + status + "\nout: " + out + "\nerr: " + err;
    }
  }

  @BeforeAll
  static void backUpThroughTheClient() {
    node = deployment.node();
    tenantId = deployment.tenantId();
    url = "http://127.0.0.1:" + node.port();
    Run backup = cli("backup", "now", tenantId, "--watch", "--interval", "200ms");
    assertEquals(0, backup.status(), backup.toString());
    assertTrue(backup.out().matches("(?s)backup [0-9a-f-]{36} completed: \\d+ objects.* in .*"), backup.toString());
    // Not a terminal: plain lines, one per change, ending with the completed state.
    assertTrue(backup.err().lines().anyMatch(line -> line.matches("job [0-9a-f-]{36} completed: .*")),
        backup.toString());
  }

  @Test
  void tenantsAsATableAndAsTheApisJson() {
    // The dashboard's read model shows the backup a moment after it ended.
    node.await(Duration.ofSeconds(30), () -> {
      Run table = cli("tenants", "list");
      assertEquals(0, table.status(), table.toString());
      List<String> lines = table.out().lines().toList();
      assertTrue(lines.get(0).matches("ID +NAME +STATUS +DIRECTORY +LAST BACKUP +NEXT BACKUP"), table.toString());
      assertTrue(lines.stream().anyMatch(line -> line.startsWith(tenantId) && line.contains("authorized")
          && line.contains("completed")), table.toString());
    });

    Run json = cli("tenants", "list", "--json");
    assertEquals(0, json.status(), json.toString());
    JsonNode api = node.get("/api/v1/tenants", KEY);
    assertEquals(api.get("items"), json.json().get("items"), "the API's JSON, unchanged");
    assertEquals(api.get("summary"), json.json().get("summary"));

    Run added = cli("tenants", "add", "--name", "Fabrikam");
    assertEquals(0, added.status(), added.toString());
    String fabrikam = added.out().strip();
    Run consent = cli("tenants", "activate", fabrikam);
    assertEquals(0, consent.status(), consent.toString());
    assertTrue(consent.out().strip().startsWith("http") && consent.out().contains("state="), consent.toString());
    Run notAuthorized = cli("backup", "now", fabrikam);
    assertEquals(5, notAuthorized.status(), "a conflict: " + notAuthorized);
    Run deleted = cli("tenants", "delete", fabrikam);
    assertEquals(0, deleted.status(), deleted.toString());
    assertTrue(deleted.out().contains("will be deleted at 20"), deleted.toString());
    Run kept = cli("tenants", "undelete", fabrikam, "--json");
    assertEquals(0, kept.status(), kept.toString());
    assertFalse(kept.json().hasNonNull("deletionScheduledFor"), kept.toString());
  }

  @Test
  void jobsAreListedAndShown() {
    Run list = cli("jobs", "list", "--tenant", tenantId, "--state", "completed");
    assertEquals(0, list.status(), list.toString());
    assertTrue(list.out().lines().findFirst().orElseThrow().startsWith("ID "), list.toString());
    JsonNode api = node.get("/api/v1/jobs?kind=backup&tenant=" + tenantId + "&state=completed", KEY);
    String newest = api.get("items").get(0).get("id").asText();
    assertTrue(list.out().contains(newest), list.toString());
    Run json = cli("jobs", "list", "--tenant", tenantId, "--state", "completed", "--json");
    assertEquals(api.get("items").get(0).get("id"), json.json().get("items").get(0).get("id"), json.toString());
    Run watchEnded = cli("jobs", "watch", newest, "--json");
    assertEquals(0, watchEnded.status(), watchEnded.toString());
    assertEquals("completed", watchEnded.json().get("state").asText());
  }

  @Test
  void aDownloadIsFetchedResumedAndCheckedAgainstItsSha256() throws Exception {
    Run created = cli("download", "create", tenantId);
    assertEquals(0, created.status(), created.toString());
    String job = created.out().strip();
    Run waited = cli("download", "wait", job, "--interval", "200ms");
    assertEquals(0, waited.status(), waited.toString());
    JsonNode stated = node.get("/api/v1/jobs/" + job, KEY).get("download");

    Path whole = folder.resolve("whole.zip");
    Run fetched = cli("download", "fetch", job, "-o", whole.toString());
    assertEquals(0, fetched.status(), fetched.toString());
    byte[] zip = Files.readAllBytes(whole);
    assertEquals(stated.get("sizeBytes").asLong(), zip.length);
    assertEquals(stated.get("sha256").asText(), sha256(zip));
    assertTrue(fetched.out().contains("verified"), fetched.toString());
    assertTrue(zip.length > 3 * 4096, "the ZIP spans several chunks: " + zip.length);

    // An interrupted fetch left the first part: the next one asks for the rest only.
    int cut = zip.length / 2 + 123;
    Path resumed = folder.resolve("resumed.zip");
    Files.write(folder.resolve("resumed.zip.part"), java.util.Arrays.copyOf(zip, cut));
    Run rest = cli("download", "fetch", job, "-o", resumed.toString());
    assertEquals(0, rest.status(), rest.toString());
    assertTrue(rest.err().contains("resuming") && rest.out().contains("resumed at " + cut + " bytes"), rest.toString());
    assertArrayEquals(zip, Files.readAllBytes(resumed));
    assertFalse(Files.exists(folder.resolve("resumed.zip.part")));
    JsonNode accesses = node.get("/api/v1/jobs/" + job, KEY).get("download").get("accesses");
    assertTrue(accesses.findValuesAsText("range").contains("bytes=" + cut + "-"), "a Range request: " + accesses);

    // A corrupt partial file: the checksum finds it, and the whole file is fetched again.
    byte[] corrupt = java.util.Arrays.copyOf(zip, cut);
    corrupt[cut / 3] ^= 0x5a;
    Path repaired = folder.resolve("repaired.zip");
    Files.write(folder.resolve("repaired.zip.part"), corrupt);
    Run again = cli("download", "fetch", job, "-o", repaired.toString());
    assertEquals(0, again.status(), again.toString());
    assertTrue(again.err().contains("did not match the download's SHA-256"), again.toString());
    assertArrayEquals(zip, Files.readAllBytes(repaired));

    Run exists = cli("download", "fetch", job, "-o", whole.toString());
    assertEquals(5, exists.status(), "the file is there already: " + exists);
    Run json = cli("download", "fetch", job, "-o", folder.resolve("json.zip").toString(), "--json");
    assertEquals(stated.get("sha256").asText(), json.json().get("sha256").asText(), json.toString());
    assertTrue(json.json().get("verified").asBoolean());
  }

  @Test
  void aRestoreIsPlannedRunAndItsSkippedItemsListed() {
    SimulatorGraph graph = deployment.graph();
    List<String> users = new ArrayList<>();
    graph.ok("GET", "/users?$select=id,userPrincipalName,onPremisesSyncEnabled,userType&$top=999", null).get("value")
        .forEach(user -> {
          if (!user.path("onPremisesSyncEnabled").asBoolean(false) && "Member".equals(user.path("userType").asText())
              && !user.path("userPrincipalName").asText().startsWith("admin@")) {
            users.add(user.get("id").asText());
          }
        });
    String user = users.get(0);
    String version = deployment.backups().latestVersionId("users", user);
    graph.ok("DELETE", "/users/" + user, null);
    graph.ok("DELETE", "/directory/deletedItems/" + user, null);
    assertEquals(0, cli("backup", "now", tenantId, "--watch", "--interval", "200ms").status());

    Run plan = cli("restore", "plan", tenantId, "users", user, "--version", version);
    assertEquals(0, plan.status(), plan.toString());
    assertTrue(plan.out().lines().anyMatch(line -> line.matches("action +recreate .*")), plan.toString());
    Run planJson = cli("restore", "plan", tenantId, "users", user, "--version", version, "--json");
    assertEquals("recreate", planJson.json().get("action").asText(), planJson.toString());

    Run restored = cli("restore", "run", tenantId, "users", user, "--version", version, "--watch", "--interval",
        "200ms");
    assertEquals(7, restored.status(), "completed with skipped items: " + restored);
    assertTrue(restored.out().contains("temporary password (shown only now): "), restored.toString());
    Matcher started = STARTED.matcher(restored.err());
    assertTrue(started.find(), restored.toString());
    String job = started.group(1);

    Run skipped = cli("restore", "skipped", job);
    assertEquals(0, skipped.status(), skipped.toString());
    assertTrue(skipped.out().startsWith("TYPE ") && skipped.out().contains("read_only_property"), skipped.toString());
    Run csv = cli("restore", "skipped", job, "--csv");
    assertTrue(csv.out().startsWith("objectType,objectId,item,reason,graphCode,message\r\n"), csv.toString());
    Run json = cli("restore", "skipped", job, "--json");
    assertEquals(node.get("/api/v1/jobs/" + job + "/skipped-items", KEY).get("items"), json.json().get("items"));
  }

  @Test
  void keysAreCreatedListedAndRevoked() {
    Run created = cli("keys", "create", "--name", "nightly-report", "--scopes", "read", "--json");
    assertEquals(0, created.status(), created.toString());
    String keyId = created.json().get("keyId").asText();
    String secret = created.json().get("key").asText();
    Run plain = cli("keys", "create", "--name", "second");
    assertTrue(plain.out().strip().length() >= 32 && plain.err().contains("shown only now"), plain.toString());

    Run list = cli("keys", "list");
    assertEquals(0, list.status(), list.toString());
    assertTrue(list.out().lines().anyMatch(line -> line.startsWith(keyId) && line.contains("nightly-report")
        && line.contains("read")), list.toString());
    assertFalse(list.out().contains(secret), "a list never shows a secret");

    Map<String, String> readOnly = Map.of("ENTRA_API_KEY", secret, "ENTRA_URL", url);
    assertEquals(0, cli(readOnly, "tenants", "list").status());
    Run forbidden = cli(readOnly, "backup", "now", tenantId);
    assertEquals(4, forbidden.status(), "a read key may not back up: " + forbidden);

    assertEquals(0, cli("keys", "revoke", keyId).status());
    node.await(Duration.ofSeconds(30), () -> assertEquals(4, cli(readOnly, "tenants", "list").status()));
    assertTrue(cli("keys", "list", "--json").json().get("items").findValues("keyId").stream()
        .anyMatch(id -> id.asText().equals(keyId)));
  }

  @Test
  void exitStatusesScriptsRelyOn() throws Exception {
    Run wrongKey = cli(Map.of("ENTRA_API_KEY", "eb_not_a_key", "ENTRA_URL", url), "tenants", "list");
    assertEquals(4, wrongKey.status(), wrongKey.toString());
    assertTrue(wrongKey.err().startsWith("entra-backup: Unauthorized: ") && wrongKey.err().strip().lines().count() == 1,
        "one line, the problem's title and detail: " + wrongKey);

    Run unknown = cli("tenants", "show", UUID.randomUUID().toString());
    assertEquals(3, unknown.status(), unknown.toString());
    assertTrue(unknown.err().contains("Not found"), unknown.toString());
    // Job ids are time-based (version 1) UUIDs; this one was never given out.
    assertEquals(3, cli("jobs", "watch", "8a3c1f5e-0000-1000-8000-000000000001").status());
    assertEquals(2, cli("jobs", "watch", UUID.randomUUID().toString()).status(), "not a job id: the API's 400");

    Run onTheCommandLine = cli(Map.of("ENTRA_URL", url), "tenants", "list", "--api-key", KEY);
    assertEquals(2, onTheCommandLine.status(), onTheCommandLine.toString());
    assertTrue(onTheCommandLine.err().contains("ENTRA_API_KEY") && !onTheCommandLine.err().contains(KEY),
        onTheCommandLine.toString());
    assertEquals(2, cli(Map.of("ENTRA_URL", url), "tenants", "list", "--api-key=" + KEY).status());

    Path keyFile = folder.resolve("key");
    Files.writeString(keyFile, KEY + "\n");
    assertEquals(0, cli(Map.of("ENTRA_URL", url), "tenants", "list", "--api-key-file", keyFile.toString()).status());
    assertEquals(2, cli(Map.of("ENTRA_URL", url), "tenants", "list").status(), "no key at all");
    assertEquals(2, cli("jobs", "list", "--kind", "nonsense").status(), "the API's 400");
    assertEquals(6, cli(Map.of("ENTRA_API_KEY", KEY, "ENTRA_URL", "http://127.0.0.1:" + TestPorts.free()),
        "tenants", "list").status(), "unreachable");
  }

  private static Run cli(String... args) {
    return cli(Map.of("ENTRA_API_KEY", KEY, "ENTRA_URL", url), args);
  }

  private static Run cli(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = EntraBackup.execute(args, environment, new PrintWriter(out), new PrintWriter(err), false);
    // A transcript in the failsafe report (target/failsafe-reports/...CliIT-output.txt): what a user would see, but
    // no secret (a created key, a temporary password) in any log.
    boolean secret = args.length > 1 && args[0].equals("keys") && args[1].equals("create");
    String shown = (secret ? "<secret>\n" : out.toString()) + err;
    String transcript = "$ entra-backup " + String.join(" ", args) + "\n"
        + shown.replaceAll("(shown only now\\): )\\S+", "$1<secret>") + "(exit " + status + ")\n";
    System.out.println(transcript.replace(KEY, "<key>"));
    return new Run(status, out.toString(), err.toString());
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
