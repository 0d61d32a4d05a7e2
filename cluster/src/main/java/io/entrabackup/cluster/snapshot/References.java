package io.entrabackup.cluster.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;

/** The reference-set properties a snapshot keeps beside an object's own properties. */
public final class References {

  private static final String MEMBERS = "members";
  private static final String OWNERS = "owners";

  /** Properties holding Graph references, kept sorted by id, in this order. */
  public static final List<String> PROPERTIES = List.of(MEMBERS, OWNERS);

  private References() {}

  public static boolean isReferenceProperty(String name) {
    // Asked for every property of every object a backup merges and hashes: two comparisons, not a list search.
    return MEMBERS.equals(name) || OWNERS.equals(name);
  }

  /** Orders references by id, then (only for equal ids) by canonical form, so any order sorts the same. */
  public static final Comparator<JsonNode> ORDER =
      Comparator.<JsonNode, String>comparing(reference -> reference.path("id").asText(""))
          .thenComparing(CanonicalJson::canonical);
}
