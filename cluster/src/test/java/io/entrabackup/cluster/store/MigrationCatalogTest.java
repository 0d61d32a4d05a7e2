package io.entrabackup.cluster.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Migration files as the build reads them: names, order, checksums, the frozen baseline, and what is refused. */
class MigrationCatalogTest {

  /**
   * Version 1 as every keyspace made so far has it. If this fails, a file version 1 includes (cql/*.cql) changed a
   * statement: every deployed keyspace would refuse the build. Put the change back and write a new migration instead.
   */
  private static final String BASELINE_CHECKSUM =
      "df58344c7813007d3bc7e57afa30a492686ee08321341081682b7c9b8eb17d5b";

  @Test
  void fileNamesGiveVersionAndDescription() {
    Migration migration = Migration.parse("V0012__add_job_labels.cql", "ALTER TABLE ${keyspace}.x ADD IF NOT EXISTS"
        + " y text;");
    assertEquals(12, migration.version());
    assertEquals("add job labels", migration.description());
    assertEquals("V0012 add job labels", migration.label());
    assertEquals(List.of("ALTER TABLE ks.x ADD IF NOT EXISTS y text"), migration.statements("ks"));
    for (String bad : List.of("V1_add.cql", "v0001__add.cql", "V0001__add.sql", "V0000__zero.cql", "0001__add.cql")) {
      assertThrows(IllegalArgumentException.class, () -> Migration.parse(bad, "DROP TABLE IF EXISTS ks.t;"), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> Migration.parse("V0003__empty.cql", "-- only a comment;\n"));
  }

  @Test
  void theChecksumCoversStatementsNotCommentsOrLayout() {
    Migration original = Migration.parse("V0002__x.cql", "-- why; it matters\nCREATE TABLE IF NOT EXISTS ${keyspace}.t"
        + " (\n  a text PRIMARY KEY,\n  b int\n);\n");
    Migration reworded = Migration.parse("V0002__x.cql", "-- a better comment\nCREATE TABLE IF NOT EXISTS"
        + " ${keyspace}.t (a text PRIMARY KEY,   b int);");
    Migration changed = Migration.parse("V0002__x.cql", "CREATE TABLE IF NOT EXISTS ${keyspace}.t (a text PRIMARY KEY,"
        + " b bigint);");
    assertEquals(original.checksum(), reworded.checksum());
    assertNotEquals(original.checksum(), changed.checksum());
    assertEquals(64, original.checksum().length());
  }

  @Test
  void migrationsRunInVersionOrderWithoutGapsOrRepeats() {
    List<Migration> unordered = new java.util.ArrayList<>();
    for (int version : new int[] {10, 2, 9, 1, 3, 4, 5, 6, 7, 8}) {
      unordered.add(Migration.parse("V" + version + "__m" + version + ".cql", "DROP TABLE IF EXISTS ks.t" + version));
    }
    MigrationCatalog catalog = new MigrationCatalog(unordered);
    // By number, not by name: "V10" sorts before "V2" as text.
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
        catalog.migrations().stream().map(Migration::version).toList());
    assertEquals(10, catalog.latest());

    var gap = List.of(Migration.parse("V0001__a.cql", "DROP TABLE IF EXISTS ks.a"),
        Migration.parse("V0003__c.cql", "DROP TABLE IF EXISTS ks.c"));
    assertTrue(assertThrows(IllegalStateException.class, () -> new MigrationCatalog(gap)).getMessage()
        .contains("V0003__c.cql where version 2 was expected"));
    var twice = List.of(Migration.parse("V0001__a.cql", "DROP TABLE IF EXISTS ks.a"),
        Migration.parse("V0001__b.cql", "DROP TABLE IF EXISTS ks.b"));
    assertThrows(IllegalStateException.class, () -> new MigrationCatalog(twice));
  }

  @Test
  void theNodesMigrationsStartWithTheFrozenBaseline() {
    MigrationCatalog catalog = MigrationCatalog.node();
    // Every file of cql/migrations, numbered from 1 without a gap (the catalog refuses gaps), however many there are.
    assertEquals(catalog.migrations().size(), catalog.latest());
    assertTrue(catalog.latest() >= 5, "V0001 to V0005 at least: " + catalog.migrations());
    Migration baseline = catalog.migrations().get(0);
    assertEquals("V0001 baseline", baseline.label());
    assertEquals(BASELINE_CHECKSUM, baseline.checksum());
    List<String> statements = baseline.statements("ks");
    assertTrue(statements.get(0).startsWith("CREATE TABLE IF NOT EXISTS ks.tenants_by_account"), statements.get(0));
    assertTrue(statements.get(statements.size() - 1).startsWith("CREATE TABLE IF NOT EXISTS ks.projection_management"));
    // Our tables' files (CassandraSchema, which adds the later migrations' statements), then the journal's seven and
    // the projections' two.
    int later = catalog.migrations().stream().skip(1).mapToInt(migration -> migration.statements("ks").size()).sum();
    assertEquals(CassandraSchema.statements("ks").size() - later + 7 + 2, statements.size());
    assertEquals(List.of("DROP TABLE IF EXISTS ks.snapshot_counts"), catalog.migrations().get(1).statements("ks"));
    assertEquals(List.of("ALTER TABLE ks.jobs_by_account ADD IF NOT EXISTS request_id text"),
        catalog.migrations().get(2).statements("ks"));

    var tables = SchemaLayout.of(catalog.statements("ks")).columns();
    assertTrue(tables.containsKey("ks.messages") && tables.containsKey("ks.offset_store"), tables.keySet().toString());
    assertEquals(new SchemaLayout.Column("timeuuid", true), tables.get("ks.snapshot_versions").get("horizon_version"));
    assertEquals(new SchemaLayout.Column("frozen<list<text>>", false),
        tables.get("ks.snapshot_versions").get("members_inline"));
    assertEquals(new SchemaLayout.Column("map<text,text>", false), tables.get("ks.metadata").get("properties"));
  }

  @Test
  void layoutFollowsAddsAndDrops() {
    var layout = SchemaLayout.of(List.of(
        "CREATE TABLE IF NOT EXISTS ks.a (id text PRIMARY KEY, n map<text, bigint>, s int static)",
        "ALTER TABLE ks.a ADD IF NOT EXISTS extra list<text>",
        "CREATE TABLE IF NOT EXISTS ks.b (id text PRIMARY KEY)",
        "ALTER TABLE ks.a DROP n",
        "DROP TABLE IF EXISTS ks.b")).columns();
    assertEquals(List.of("ks.a"), List.copyOf(layout.keySet()));
    assertEquals(List.of("id", "s", "extra"), List.copyOf(layout.get("ks.a").keySet()));
    assertEquals(new SchemaLayout.Column("int", true), layout.get("ks.a").get("s"));
  }

  @Test
  void aChangedAppliedMigrationOrANewerKeyspaceIsRefused() {
    MigrationCatalog catalog = MigrationCatalog.node();
    Migration baseline = catalog.migrations().get(0);
    var asApplied = new AppliedMigration(1, "baseline", baseline.checksum(), Instant.EPOCH, "h pid 1 (node)",
        Duration.ofSeconds(3), AppliedMigration.APPLIED);
    assertTrue(catalog.refusal("ks", List.of(asApplied)).isEmpty());
    assertEquals(catalog.migrations().subList(1, catalog.migrations().size()), catalog.pending(List.of(asApplied)));

    var changed = new AppliedMigration(1, "baseline", "0123456789abcdef", Instant.EPOCH, "h pid 1 (node)",
        Duration.ofSeconds(3), AppliedMigration.APPLIED);
    String why = catalog.refusal("ks", List.of(changed)).orElseThrow();
    assertTrue(why.contains("V0001 baseline") && why.contains("0123456789ab") && why.contains("must never change"),
        why);

    int future = catalog.latest() + 1;
    var newer = new AppliedMigration(future, "from the future", "x", Instant.EPOCH, "h pid 2 (deploy/schema)",
        Duration.ZERO, AppliedMigration.APPLIED);
    why = catalog.refusal("ks", List.of(asApplied, newer)).orElseThrow();
    assertTrue(why.contains("schema version " + future) && why.contains("up to " + catalog.latest()), why);
  }

  @Test
  void anOlderOrANewerBuildIsTheCatalogCutOrExtended() {
    MigrationCatalog node = MigrationCatalog.node();
    int next = node.latest() + 1;
    MigrationCatalog later = node.plus(List.of(Migration.parse(String.format("V%04d__later.cql", next),
        "DROP TABLE IF EXISTS ks.x")));
    assertEquals(next, later.latest());
    assertEquals(String.format("V%04d later", next), later.migrations().get(next - 1).label());
    assertEquals(1, node.upTo(1).latest());
    assertThrows(IllegalStateException.class, () -> node.plus(List.of(Migration.parse(
        String.format("V%04d__skips.cql", next + 1), "DROP TABLE IF EXISTS ks.x"))));
  }
}
