package io.entrabackup.cluster.snapshot.internal;

import java.util.Locale;

/**
 * How names are compared in search: lower-cased (Locale.ROOT), a query matching a name or UPN it is a prefix of. And
 * the one key of the object list ({@code snapshot_objects}), which no longer orders by name (that would need an
 * order-revealing key: cluster/ENCRYPTION.md).
 */
public final class NameKeys {

  /** Every object's list row, one per object. */
  public static final String BY_NAME = "n";
  /** The sort key of every list row: the list is in object id order. */
  public static final String LIST_KEY = "";

  private NameKeys() {}

  public static String sortKey(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
