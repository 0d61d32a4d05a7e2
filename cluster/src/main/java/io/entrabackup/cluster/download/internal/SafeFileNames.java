package io.entrabackup.cluster.download.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * File names for object ids that are safe on Windows, macOS and Linux. Graph ids are GUIDs for most
 * types, which pass unchanged; role assignment ids are base64url-like and mixed case, which collide on
 * case-insensitive file systems (Windows, macOS), and any id may in principle hold characters a file
 * system refuses. So: keep {@code [a-z0-9-]} ids as they are; otherwise keep the letters, digits, dash
 * and underscore (others become {@code _}, at most 80) and append {@code ~} and 12 hex digits of the
 * SHA-256 of the exact id, which keeps names unique under case folding and replacement. Windows'
 * reserved device names get the suffix too. The manifest maps every path back to its object id.
 */
public final class SafeFileNames {

  private static final Pattern PLAIN = Pattern.compile("[a-z0-9][a-z0-9-]{0,79}");
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_-]");
  private static final int MAX_KEPT = 80;
  private static final int HASH_HEX_DIGITS = 12;
  private static final Set<String> RESERVED = Set.of("con", "prn", "aux", "nul",
      "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
      "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

  private SafeFileNames() {}

  /** The base name (no extension) of the file of the object with this id. */
  public static String of(String id) {
    if (PLAIN.matcher(id).matches() && !RESERVED.contains(id)) {
      return id;
    }
    String kept = UNSAFE.matcher(id).replaceAll("_");
    if (kept.length() > MAX_KEPT) {
      kept = kept.substring(0, MAX_KEPT);
    }
    return kept + "~" + hash(id);
  }

  private static String hash(String id) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_HEX_DIGITS).toLowerCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
