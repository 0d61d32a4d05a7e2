package io.entrabackup.cluster.restore;

import java.security.SecureRandom;

/**
 * Passwords for recreated users: 20 characters from SecureRandom with upper- and lower-case letters, digits and
 * symbols, so Entra's complexity rule (three of four classes) holds. The user must change it at first sign-in.
 */
final class TemporaryPasswords {

  private static final String UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  private static final String LOWER = "abcdefghijkmnopqrstuvwxyz";
  private static final String DIGITS = "23456789";
  private static final String SYMBOLS = "!#$%&*+-=?@^_";
  private static final String ALL = UPPER + LOWER + DIGITS + SYMBOLS;
  private static final int LENGTH = 20;
  private static final SecureRandom random = new SecureRandom();

  private TemporaryPasswords() {}

  static String next() {
    char[] password = new char[LENGTH];
    String[] classes = {UPPER, LOWER, DIGITS, SYMBOLS};
    for (int i = 0; i < LENGTH; i++) {
      String from = i < classes.length ? classes[i] : ALL;
      password[i] = from.charAt(random.nextInt(from.length()));
    }
    for (int i = LENGTH - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      char swap = password[i];
      password[i] = password[j];
      password[j] = swap;
    }
    return new String(password);
  }
}
