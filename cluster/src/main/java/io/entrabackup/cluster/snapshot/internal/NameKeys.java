package io.entrabackup.cluster.snapshot.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.protocol.backup.ObjectType;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The lower-cased names an object is listed and found under in {@code snapshot_objects}, by name kind. */
public final class NameKeys {

  /** Every object, by display name: what the list shows. */
  public static final String BY_NAME = "n";
  /** Users, by UPN: what search also finds. */
  public static final String BY_UPN = "u";

  private NameKeys() {}

  public static Map<String, String> of(ObjectSnapshot snapshot) {
    return of(snapshot.type(), snapshot.displayName(), snapshot.state().get("userPrincipalName"));
  }

  /** 'n' always, 'u' for users with a UPN. */
  public static Map<String, String> of(ObjectType type, String displayName, JsonNode upn) {
    Map<String, String> keys = new HashMap<>(4);
    keys.put(BY_NAME, sortKey(displayName));
    if (type == ObjectType.USERS && upn != null && upn.isTextual() && !upn.asText().isBlank()) {
      keys.put(BY_UPN, sortKey(upn.asText()));
    }
    return keys;
  }

  public static String sortKey(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
