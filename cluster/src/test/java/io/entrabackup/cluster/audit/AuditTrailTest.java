package io.entrabackup.cluster.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.cluster.store.LocalCassandra;
import io.entrabackup.cluster.store.TestKeyspace;
import io.entrabackup.protocol.audit.AuditAction;
import io.entrabackup.protocol.audit.AuditEntry;
import io.entrabackup.protocol.audit.AuditOutcome;
import io.entrabackup.protocol.audit.ChainCheck;
import io.entrabackup.protocol.audit.NewAuditRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit trail against the real Cassandra: chained appends, racing appenders, and what verification finds. */
class AuditTrailTest {

  @RegisterExtension
  static final TestKeyspace cassandra = TestKeyspace.empty("audit");
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static AuditTrail trail;

  @BeforeAll
  static void createTables() throws IOException {
    try (InputStream in = AuditTrail.class.getClassLoader().getResourceAsStream("cql/audit.cql")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(line -> !line.strip().startsWith("--")).collect(Collectors.joining("\n"));
      for (String statement : text.split(";")) {
        if (!statement.isBlank()) {
          await(cassandra.session().executeDDL(statement.strip().replace("${keyspace}", cassandra.keyspace())));
        }
      }
    }
    trail = newTrail();
  }

  private static AuditTrail newTrail() {
    return new AuditTrail(cassandra.session()::underlying, cassandra.keyspace());
  }

  private static <T> T await(CompletionStage<T> stage) {
    return LocalCassandra.await(stage, TIMEOUT);
  }

  private static String newAccount() {
    return "acct-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static NewAuditRecord record(String account, AuditAction action, String tenant) {
    return new NewAuditRecord(account, Instant.now(), Optional.of("key1"), Optional.of("192.0.2.7"),
        Optional.of("curl/8"), action, Map.of("tenant", tenant), AuditOutcome.SUCCESS, 202);
  }

  private static void appendSome(String account, int count) {
    for (int i = 0; i < count; i++) {
      await(trail.append(record(account, AuditAction.BACKUP_REQUESTED, "t" + i)));
    }
  }

  @Test
  void appendedRecordsFormOneChainThatVerifies() {
    String account = newAccount();
    AuditEntry first = await(trail.append(record(account, AuditAction.KEY_CREATED, "t0")));
    AuditEntry second = await(trail.append(record(account, AuditAction.BACKUP_REQUESTED, "t1")));

    assertEquals(1, first.sequence());
    assertEquals(AuditChain.GENESIS, first.previousHash());
    assertEquals(2, second.sequence());
    assertEquals(first.hash(), second.previousHash());
    ChainCheck check = await(trail.verify(account));
    assertTrue(check.intact(), check.toString());
    assertEquals(2, check.records());
  }

  @Test
  void twoTrailInstancesAppendingAtOnceKeepOneValidChain() {
    String account = newAccount();
    AuditTrail other = newTrail();
    List<CompletionStage<AuditEntry>> appends = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      appends.add(trail.append(record(account, AuditAction.DOWNLOAD_FETCHED, "a" + i)));
      appends.add(other.append(record(account, AuditAction.DOWNLOAD_FETCHED, "b" + i)));
    }
    List<Long> sequences = appends.stream().map(AuditTrailTest::await).map(AuditEntry::sequence).sorted().toList();

    assertEquals(LongStream.rangeClosed(1, 40).boxed().toList(), sequences);
    ChainCheck check = await(trail.verify(account));
    assertTrue(check.intact(), check.toString());
    assertEquals(40, check.records());
  }

  @Test
  void verifyingFindsAnAlteredRecord() {
    String account = newAccount();
    appendSome(account, 5);
    await(cassandra.session().executeWrite("UPDATE " + cassandra.keyspace() + ".audit_records SET source = ?"
        + " WHERE account_id = ? AND bucket = 0 AND sequence = 3", "203.0.113.9", account));

    ChainCheck check = await(trail.verify(account));
    assertEquals(3, check.firstBreak().orElseThrow().sequence(), check.toString());
    assertTrue(check.firstBreak().get().problem().contains("altered"), check.toString());
  }

  @Test
  void verifyingFindsADeletedRecordInTheMiddleAndAtTheEnd() {
    String middle = newAccount();
    appendSome(middle, 4);
    await(cassandra.session().executeWrite("DELETE FROM " + cassandra.keyspace() + ".audit_records"
        + " WHERE account_id = ? AND bucket = 0 AND sequence = 2", middle));
    ChainCheck gap = await(trail.verify(middle));
    assertEquals(2, gap.firstBreak().orElseThrow().sequence(), gap.toString());
    assertTrue(gap.firstBreak().get().problem().contains("missing"), gap.toString());

    String end = newAccount();
    appendSome(end, 3);
    await(cassandra.session().executeWrite("DELETE FROM " + cassandra.keyspace() + ".audit_records"
        + " WHERE account_id = ? AND bucket = 0 AND sequence = 3", end));
    ChainCheck cut = await(trail.verify(end));
    assertEquals(3, cut.firstBreak().orElseThrow().sequence(), cut.toString());
  }

  @Test
  void anAppendAfterAWriterStoppedBeforeMovingTheHeadGoesOnAfterItsRecord() {
    String account = newAccount();
    appendSome(account, 2);
    // As if a node died between writing record 2 and moving the head: the head still says 1.
    AuditEntry one = await(trail.page(account, Optional.empty(), e -> e.sequence() == 1, 1, 10)).entries().get(0);
    await(cassandra.session().executeWrite("UPDATE " + cassandra.keyspace() + ".audit_heads SET sequence = 1,"
        + " hash = ? WHERE account_id = ?", one.hash(), account));

    AuditEntry third = await(trail.append(record(account, AuditAction.KEY_REVOKED, "t")));
    assertEquals(3, third.sequence());
    assertTrue(await(trail.verify(account)).intact());
  }

  @Test
  void pagesGoNewestFirstWithAFilterAndACursor() {
    String account = newAccount();
    for (int i = 1; i <= 7; i++) {
      await(trail.append(record(account, i % 2 == 0 ? AuditAction.KEY_CREATED : AuditAction.BACKUP_REQUESTED,
          "t" + i)));
    }
    var first = await(trail.page(account, Optional.empty(), e -> e.action() == AuditAction.BACKUP_REQUESTED, 2, 100));
    assertEquals(List.of(7L, 5L), first.entries().stream().map(AuditEntry::sequence).toList());
    var second = await(trail.page(account, first.next(), e -> e.action() == AuditAction.BACKUP_REQUESTED, 2, 100));
    assertEquals(List.of(3L, 1L), second.entries().stream().map(AuditEntry::sequence).toList());
    assertEquals(Optional.empty(), second.next());

    var budgeted = await(trail.page(account, Optional.empty(), e -> e.sequence() == 1, 5, 3));
    assertEquals(List.of(), budgeted.entries());
    assertEquals(Optional.of(5L), budgeted.next());
  }

  @Test
  void theVerifyCommandReportsTheFirstBreakAndExitsNonZero() {
    String intact = newAccount();
    appendSome(intact, 2);
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    assertEquals(0, AuditVerifyCommand.run(cassandra.config(), List.of("--account", intact),
        new PrintStream(out, true), new PrintStream(err, true)), err.toString());
    assertTrue(out.toString().contains("2 records, chain intact"), out.toString());

    String altered = newAccount();
    appendSome(altered, 3);
    await(cassandra.session().executeWrite("UPDATE " + cassandra.keyspace() + ".audit_records SET action ="
        + " 'key.created' WHERE account_id = ? AND bucket = 0 AND sequence = 2", altered));
    out.reset();
    assertEquals(1, AuditVerifyCommand.run(cassandra.config(), List.of(), new PrintStream(out, true),
        new PrintStream(err, true)), err.toString());
    String report = out.toString();
    assertTrue(report.contains("account " + altered + ": BROKEN at record 2"), report);
    assertTrue(report.contains("account " + intact + ": 2 records, chain intact"), report);
    assertEquals(2, AuditVerifyCommand.run(cassandra.config(), List.of("--bogus"), new PrintStream(out, true),
        new PrintStream(err, true)));
  }
}
