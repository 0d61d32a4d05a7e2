package io.entrabackup.cluster.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;

/** The reference-set properties a snapshot keeps beside an object's own properties. */
public final class References {

  /** Properties holding Graph references, kept sorted by id, in this order. */
  public static final List<String> PROPERTIES = List.of("members", "owners");

  private References() {}

  public static boolean isReferenceProperty(String name) {
    return PROPERTIES.contains(name);
  }

  /** Orders references by id, then (only for equal ids) by canonical form, so any order sorts the same. */
  public static final Comparator<JsonNode> ORDER =
      Comparator.<JsonNode, String>comparing(reference -> reference.path("id").asText(""))
          .thenComparing(CanonicalJson::canonical);
}
