package io.entrabackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.TypeConversionException;

/** What the client does before it calls anything: usage, help, where the key and server come from. */
class CommandLineTest {

  @TempDir
  Path folder;

  record Run(int status, String out, String err) {}

  private static Run cli(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = EntraBackup.execute(args, environment, new PrintWriter(out), new PrintWriter(err), false);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void theKeyIsRefusedAsAnArgumentWithoutEchoingIt() {
    for (String[] args : new String[][] {{"tenants", "list", "--api-key", "eb_secret"},
        {"--api-key=eb_secret", "keys", "list"}, {"jobs", "list", "--apikey", "eb_secret"}}) {
      Run run = cli(Map.of(), args);
      assertEquals(ExitCode.USAGE, run.status());
      assertTrue(run.err().contains("ENTRA_API_KEY") && run.err().contains("--api-key-file"), run.err());
      assertFalse(run.err().contains("eb_secret") || run.out().contains("eb_secret"));
    }
    assertFalse(EntraBackup.isKeyArgument("--api-key-file"));
    assertFalse(EntraBackup.isKeyArgument("--api-key-file=/tmp/k"));
  }

  @Test
  void helpListsTheCommandsAndTheExitStatuses() {
    Run run = cli(Map.of(), "--help");
    assertEquals(0, run.status());
    for (String text : new String[] {"tenants", "backup", "jobs", "download", "restore", "keys", "Exit status:",
        "  4  wrong, revoked or missing API key"}) {
      assertTrue(run.out().contains(text), text + " in " + run.out());
    }
    assertEquals(0, cli(Map.of(), "download", "fetch", "--help").status());
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(ExitCode.USAGE, cli(Map.of()).status());
    assertEquals(ExitCode.USAGE, cli(Map.of(), "tenants").status());
    assertEquals(ExitCode.USAGE, cli(Map.of(), "nonsense").status());
    assertEquals(ExitCode.USAGE, cli(Map.of(), "jobs", "watch").status());
    assertEquals(ExitCode.USAGE, cli(Map.of("ENTRA_API_KEY", "k", "ENTRA_URL", "http://127.0.0.1:1"),
        "jobs", "watch", "x", "--interval", "1h").status());
  }

  @Test
  void theServerAndKeyMustBeGiven() throws Exception {
    Run noKey = cli(Map.of("ENTRA_URL", "http://127.0.0.1:1"), "tenants", "list");
    assertEquals(ExitCode.USAGE, noKey.status());
    assertTrue(noKey.err().contains("no API key"), noKey.err());
    Run noServer = cli(Map.of("ENTRA_API_KEY", "k"), "tenants", "list");
    assertEquals(ExitCode.USAGE, noServer.status());
    assertTrue(noServer.err().contains("ENTRA_URL"), noServer.err());
    assertEquals(ExitCode.USAGE, cli(Map.of("ENTRA_API_KEY", "k"), "tenants", "list", "--url", "ftp://x").status());

    Path twoLines = folder.resolve("key");
    Files.writeString(twoLines, "a\nb\n");
    assertEquals(ExitCode.USAGE, cli(Map.of("ENTRA_URL", "http://127.0.0.1:1"), "tenants", "list",
        "--api-key-file", twoLines.toString()).status());
    Path notPem = folder.resolve("ca.pem");
    Files.writeString(notPem, "not a certificate");
    Run badCa = cli(Map.of("ENTRA_API_KEY", "k", "ENTRA_URL", "https://127.0.0.1:1"), "tenants", "list",
        "--ca-file", notPem.toString());
    assertEquals(ExitCode.USAGE, badCa.status(), badCa.err());
  }

  @Test
  void anUnreachableServerExitsSix() {
    Run run = cli(Map.of("ENTRA_API_KEY", "k", "ENTRA_URL", "http://127.0.0.1:1"), "tenants", "list");
    assertEquals(ExitCode.UNAVAILABLE, run.status());
    assertTrue(run.err().startsWith("entra-backup: cannot reach http://127.0.0.1:1"), run.err());
  }

  @Test
  void idsArePathSegmentsAndIntervalsAreBounded() {
    assertEquals("..%2Faccounts%20x", ApiClient.segment("../accounts x"));
    assertEquals(Duration.ofMillis(200), new IntervalConverter().convert("200ms"));
    assertEquals(Duration.ofSeconds(2), new IntervalConverter().convert("2s"));
    assertEquals(Duration.ofSeconds(3), new IntervalConverter().convert("PT3S"));
    assertThrows(TypeConversionException.class, () -> new IntervalConverter().convert("10ms"));
    assertThrows(TypeConversionException.class, () -> new IntervalConverter().convert("soon"));
  }
}
