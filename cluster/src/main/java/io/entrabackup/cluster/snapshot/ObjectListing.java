package io.entrabackup.cluster.snapshot;

import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.snapshot.internal.NameKeys;
import io.entrabackup.cluster.snapshot.internal.ObjectCursor;
import io.entrabackup.cluster.snapshot.internal.ObjectCursor.Position;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns the rows read from the name indexes into a page. A search reads the display-name index and,
 * for users, the UPN index; a UPN row whose display name also matches is skipped (the name row lists
 * it), so an object appears once. The cursor keeps one position per index.
 */
final class ObjectListing {

  private record Candidate(String kind, Row row, boolean skip) {
    String sortKey() {
      return row.getString("sort_key");
    }

    String objectId() {
      return row.getString("object_id");
    }
  }

  /** Cassandra orders text by UTF-8 bytes, which is code point order (String.compareTo is not). */
  private static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  };

  private static final Comparator<Candidate> ORDER =
      Comparator.comparing(Candidate::sortKey, CODE_POINT_ORDER)
          .thenComparing(Candidate::objectId, CODE_POINT_ORDER)
          .thenComparing(Candidate::kind);

  private ObjectListing() {}

  /**
   * @param rowsByKind up to limit + 1 rows per index, each from its position (or the prefix) on
   * @param scope the list the next cursor is for (see {@link ObjectCursor})
   */
  static ObjectPage page(Map<String, List<Row>> rowsByKind, Optional<String> prefix,
      Map<String, Position> positions, int limit, String scope) {
    List<Candidate> candidates = new ArrayList<>();
    boolean moreInSomeIndex = false;
    for (Map.Entry<String, List<Row>> entry : rowsByKind.entrySet()) {
      int matching = 0;
      for (Row row : entry.getValue()) {
        if (prefix.isPresent() && !row.getString("sort_key").startsWith(prefix.get())) {
          break;
        }
        matching++;
        boolean skip = !"n".equals(entry.getKey()) && prefix.isPresent()
            && NameKeys.sortKey(row.getString("display_name")).startsWith(prefix.get());
        candidates.add(new Candidate(entry.getKey(), row, skip));
      }
      // A full read may have more rows beyond it; a shorter one (or one that left the prefix) ended.
      moreInSomeIndex |= matching == entry.getValue().size() && matching > limit;
    }
    candidates.sort(ORDER);
    Map<String, Position> next = new TreeMap<>(positions);
    List<ObjectSummary> items = new ArrayList<>();
    int consumed = 0;
    for (Candidate candidate : candidates) {
      if (items.size() == limit) {
        break;
      }
      consumed++;
      next.put(candidate.kind(), new Position(candidate.sortKey(), candidate.objectId()));
      if (!candidate.skip()) {
        items.add(summary(candidate.row()));
      }
    }
    boolean more = candidates.subList(consumed, candidates.size()).stream().anyMatch(c -> !c.skip())
        || moreInSomeIndex;
    return new ObjectPage(List.copyOf(items), more ? Optional.of(ObjectCursor.encode(scope, next)) : Optional.empty());
  }

  static ObjectSummary summary(Row row) {
    return new ObjectSummary(row.getString("object_id"), row.getString("display_name"),
        row.getUuid("version_id").toString(), row.getInstant("captured_at"), !row.isNull("removed"),
        Optional.ofNullable(row.getString("detail")));
  }
}
