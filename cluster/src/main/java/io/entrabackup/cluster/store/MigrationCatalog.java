package io.entrabackup.cluster.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The migrations a build knows, in version order: every {@code V<n>__<description>.cql} of a class-path directory
 * ({@code cql/migrations} for the node). Versions run 1, 2, 3 ... without a gap or a repeat, so that the version a build
 * expects is its last one and two branches that both add "V0005" clash at once rather than in production.
 *
 * @param migrations in version order
 */
public record MigrationCatalog(List<Migration> migrations) {

  /** Where the node's migrations live on the class path. */
  public static final String DIRECTORY = "cql/migrations";

  public MigrationCatalog {
    migrations = migrations.stream().sorted(Comparator.comparingInt(Migration::version)).toList();
    for (int i = 0; i < migrations.size(); i++) {
      Migration migration = migrations.get(i);
      if (migration.version() != i + 1) {
        throw new IllegalStateException("schema migrations must be numbered 1, 2, 3 ... without gaps or repeats;"
            + " found " + migration.file() + " where version " + (i + 1) + " was expected");
      }
    }
    if (migrations.isEmpty()) {
      throw new IllegalStateException("no schema migration found");
    }
  }

  /** The node's migrations ({@link #DIRECTORY}), read once per JVM. */
  public static MigrationCatalog node() {
    return NodeMigrations.CATALOG;
  }

  /** Loaded on first use, once (the class loader makes that thread-safe). */
  private static final class NodeMigrations {
    static final MigrationCatalog CATALOG = load(DIRECTORY);
  }

  /** The migrations of a class-path directory (in a directory or a jar). */
  public static MigrationCatalog load(String directory) {
    return new MigrationCatalog(fileNames(directory).stream()
        .map(name -> Migration.parse(name, CqlText.resource(directory + "/" + name)))
        .toList());
  }

  /** This catalog with more migrations after it (tests: a build that expects a later version). */
  public MigrationCatalog plus(List<Migration> later) {
    List<Migration> all = new ArrayList<>(migrations);
    all.addAll(later);
    return new MigrationCatalog(all);
  }

  /** The first {@code version} migrations (tests: an older build). */
  public MigrationCatalog upTo(int version) {
    return new MigrationCatalog(migrations.subList(0, version));
  }

  /** The version this build expects the keyspace to be at: its last migration's. */
  public int latest() {
    return migrations.get(migrations.size() - 1).version();
  }

  public Optional<Migration> get(int version) {
    return version >= 1 && version <= migrations.size() ? Optional.of(migrations.get(version - 1)) : Optional.empty();
  }

  /** Every statement of every migration, for {@code keyspace}, in order. */
  public List<String> statements(String keyspace) {
    return migrations.stream().flatMap(migration -> migration.statements(keyspace).stream()).toList();
  }

  /** The migrations of this catalog not among {@code applied}, in order. */
  public List<Migration> pending(List<AppliedMigration> applied) {
    Set<Integer> done = new HashSet<>();
    applied.forEach(row -> done.add(row.version()));
    return migrations.stream().filter(migration -> !done.contains(migration.version())).toList();
  }

  /**
   * Why this build must not run on or migrate a keyspace with {@code applied}, or empty when it may: the keyspace is at
   * a version this build does not know, or a migration applied there has other statements in this build.
   */
  public Optional<String> refusal(String keyspace, List<AppliedMigration> applied) {
    for (AppliedMigration row : applied) {
      if (row.version() > latest()) {
        return Optional.of("keyspace " + keyspace + " is at schema version " + row.version() + " (" + row.description()
            + ", applied " + row.appliedAt() + " by " + row.appliedBy() + "), newer than this build, which knows"
            + " versions up to " + latest() + ": run a build that knows version " + row.version() + " or later"
            + " (a build never runs on a schema it does not know)");
      }
    }
    for (AppliedMigration row : applied) {
      if (row.version() < 1) {
        continue; // Not a row this code writes; nothing to compare it with.
      }
      Migration migration = migrations.get(row.version() - 1);
      if (!migration.checksum().equals(row.checksum())) {
        return Optional.of("schema migration " + migration.label() + " (" + DIRECTORY + "/" + migration.file()
            + ") was applied to keyspace " + keyspace + " on " + row.appliedAt() + " with checksum "
            + shortened(row.checksum()) + ", but this build's has checksum " + shortened(migration.checksum())
            + ": an applied migration must never change. Restore its statements as they were and put the change in"
            + " a new migration (V" + String.format("%04d", latest() + 1) + "__...)");
      }
    }
    return Optional.empty();
  }

  private static String shortened(String checksum) {
    return checksum == null ? "(none)" : checksum.substring(0, Math.min(12, checksum.length()));
  }

  private static List<String> fileNames(String directory) {
    URL url = MigrationCatalog.class.getClassLoader().getResource(directory);
    if (url == null) {
      throw new IllegalStateException("no schema migrations on the class path at " + directory);
    }
    try {
      if ("jar".equals(url.getProtocol())) {
        return namesInJar(url, directory);
      }
      return namesIn(Path.of(url.toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException("unreadable class-path location " + url, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A jar file of its own (no cache, no zip file system): nodes of one JVM may load at the same moment. */
  private static List<String> namesInJar(URL url, String directory) throws IOException {
    JarURLConnection connection = (JarURLConnection) url.openConnection();
    connection.setUseCaches(false);
    String prefix = directory + "/";
    try (JarFile jar = connection.getJarFile()) {
      return List.copyOf(jar.stream()
          .map(JarEntry::getName)
          .filter(name -> name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0)
          .map(name -> name.substring(prefix.length()))
          .filter(Migration::isMigrationFile)
          .collect(TreeSet::new, TreeSet::add, TreeSet::addAll));
    }
  }

  private static List<String> namesIn(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return List.copyOf(files.map(file -> file.getFileName().toString())
          .filter(Migration::isMigrationFile)
          .collect(TreeSet::new, TreeSet::add, TreeSet::addAll));
    }
  }
}
