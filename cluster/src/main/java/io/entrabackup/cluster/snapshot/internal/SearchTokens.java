package io.entrabackup.cluster.snapshot.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.cluster.crypto.TenantCipher;
import io.entrabackup.protocol.backup.ObjectType;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The blind index of search by name prefix ({@code snapshot_search}, cluster/ENCRYPTION.md): an object is listed under
 * a keyed token (HMAC under the tenant's index key) of each of the first 1 to {@link #INDEXED_LENGTH} characters of its
 * lower-cased display name and, for users, of its UPN. A query of up to that many characters is one token; a longer one
 * reads the token of its first {@link #INDEXED_LENGTH} characters and the rest is checked on the decrypted names. Name
 * and UPN share the tokens, so an object matching by both is listed once.
 */
public final class SearchTokens {

  /**
   * Prefix lengths indexed: 4 keeps a token's rows few enough to filter for a longer query (about 1 in 10,000 names of a
   * tenant share 4 leading letters, unevenly: "john" more) at up to 8 small rows per user, written once per name.
   */
  public static final int INDEXED_LENGTH = 4;
  private static final String PURPOSE = "snapshot search prefix";
  /**
   * Partitions of a type's tokens. A token's rows are found by its bucket, so a tenant's whole index is found without
   * its key (offboarding deletes it after the key is destroyed): 64 like snapshot_latest's, so a 1,000,000-user type's
   * ~8,000,000 rows are ~125,000 small rows a partition.
   */
  public static final int BUCKETS = 64;

  private SearchTokens() {}

  /** The tokens an object is found under. */
  public static Set<String> of(TenantCipher cipher, ObjectType type, String displayName, JsonNode upn) {
    Set<String> tokens = new LinkedHashSet<>();
    addPrefixes(cipher, NameKeys.sortKey(displayName), tokens);
    upnOf(type, upn).ifPresent(text -> addPrefixes(cipher, NameKeys.sortKey(text), tokens));
    return tokens;
  }

  /** The UPN search also matches: a user's, when it has one. */
  public static Optional<String> upnOf(ObjectType type, JsonNode upn) {
    return type == ObjectType.USERS && upn != null && upn.isTextual() && !upn.asText().isBlank()
        ? Optional.of(upn.asText()) : Optional.empty();
  }

  /** The token a normalized query ({@link NameKeys#sortKey}, not empty) is read under. */
  public static String ofQuery(TenantCipher cipher, String query) {
    int length = query.codePointCount(0, query.length());
    return token(cipher, prefix(query, Math.min(length, INDEXED_LENGTH)));
  }

  /** The {@code snapshot_search} partition of a token (String.hashCode is specified, so the same on every node). */
  public static int bucketOf(String token) {
    return Math.floorMod(token.hashCode(), BUCKETS);
  }

  private static void addPrefixes(TenantCipher cipher, String key, Set<String> tokens) {
    int length = Math.min(key.codePointCount(0, key.length()), INDEXED_LENGTH);
    for (int i = 1; i <= length; i++) {
      tokens.add(token(cipher, prefix(key, i)));
    }
  }

  private static String prefix(String key, int codePoints) {
    return key.substring(0, key.offsetByCodePoints(0, codePoints));
  }

  private static String token(TenantCipher cipher, String prefix) {
    return cipher.blindIndex(PURPOSE, prefix);
  }
}
