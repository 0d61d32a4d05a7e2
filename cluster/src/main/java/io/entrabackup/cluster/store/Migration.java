package io.entrabackup.cluster.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned schema migration: a file {@code V0002__drop_snapshot_counts.cql} of {@code cql/migrations}. Its
 * statements are templates ({@code ${keyspace}}); each must be idempotent ({@code IF NOT EXISTS}, {@code IF EXISTS}),
 * because a run that stopped half-way runs the whole migration again. The checksum is over the statements as written,
 * whitespace normalised and comments left out, so a comment may be corrected in an applied migration but no statement.
 *
 * @param version from the file name, 1 and up
 * @param description from the file name, underscores as spaces
 * @param file the file name, for messages
 * @param statements the CQL templates in order
 * @param checksum SHA-256 (hex) of the normalised statements
 */
public record Migration(int version, String description, String file, List<String> statements, String checksum) {

  private static final Pattern NAME = Pattern.compile("V(\\d{1,6})__([A-Za-z0-9_]+)\\.cql");

  public Migration {
    statements = List.copyOf(statements);
  }

  /** Whether {@code name} is a migration's file name (anything else in the directory is not one). */
  static boolean isMigrationFile(String name) {
    return NAME.matcher(name).matches();
  }

  /** The migration of the file {@code name} (no directory) holding {@code text}. */
  public static Migration parse(String name, String text) {
    Matcher matcher = NAME.matcher(name);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("not a migration file name (V0001__what_it_does.cql): " + name);
    }
    int version = Integer.parseInt(matcher.group(1));
    if (version < 1) {
      throw new IllegalArgumentException("migration versions start at 1: " + name);
    }
    List<String> statements = CqlText.statements(text);
    if (statements.isEmpty()) {
      throw new IllegalArgumentException("migration " + name + " holds no statement");
    }
    return new Migration(version, matcher.group(2).replace('_', ' '), name, statements, checksum(statements));
  }

  /** The statements for {@code keyspace}. */
  public List<String> statements(String keyspace) {
    return statements.stream().map(statement -> statement.replace("${keyspace}", keyspace)).toList();
  }

  /** "V0002 drop snapshot counts": how the operator sees it. */
  public String label() {
    return label(version) + " " + description;
  }

  static String label(int version) {
    return String.format("V%04d", version);
  }

  static String checksum(List<String> statements) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      for (String statement : statements) {
        sha256.update(CqlText.normalized(statement).getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) ';');
      }
      return HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
