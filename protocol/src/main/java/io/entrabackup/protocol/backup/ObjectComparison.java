package io.entrabackup.protocol.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Two states of one object side by side, as the object page's Compare shows them: a stored snapshot on the left, and
 * another snapshot or the object as Microsoft Graph shows it now on the right.
 *
 * @param properties every property either side holds (members and owners apart), by name
 * @param relations members and owners (groups, directory roles): who is on the right but not the left, and back
 */
public record ObjectComparison(Side from, Side to, List<PropertyRow> properties, List<RelationChange> relations) {

  /** What a side shows: "snapshot" or "live". */
  public static final String SNAPSHOT = "snapshot";
  public static final String LIVE = "live";

  /**
   * One side.
   *
   * @param kind {@code snapshot} or {@code live}
   * @param versionId / capturedAt / runId the snapshot's (absent for the live side)
   * @param state {@code live}, {@code soft_deleted} (in the recycle bin), {@code deleted} (a snapshot recording the
   *     deletion) or {@code gone} (the live side: deleted for good)
   */
  public record Side(String kind, Optional<String> versionId, Optional<Instant> capturedAt, Optional<String> runId,
      String state) {}

  /**
   * One property.
   *
   * @param change {@code unchanged}, {@code changed}, {@code added} (only on the right) or {@code removed} (only on
   *     the left)
   * @param before / after the value on each side; absent where that side has no such property
   */
  public record PropertyRow(String name, String change, Optional<JsonNode> before, Optional<JsonNode> after) {}

  /**
   * One relation's difference. The counts are exact; the lists hold at most {@code listed} entries each (by id),
   * named from the latest backup of each member.
   *
   * @param relation {@code members} or {@code owners}
   * @param unchanged how many are on both sides
   */
  public record RelationChange(String relation, int addedCount, int removedCount, int unchanged,
      List<Member> added, List<Member> removed) {}

  /**
   * A member or owner, by name where a backup knows it.
   *
   * @param type the Graph type ({@code user}, {@code group}, ...) where known
   * @param principalName a user's UPN, or the mail address, where known
   */
  public record Member(String id, Optional<String> type, Optional<String> displayName,
      Optional<String> principalName) {}
}
