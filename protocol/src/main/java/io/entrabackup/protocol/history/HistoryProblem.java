package io.entrabackup.protocol.history;

/**
 * One place where a tenant's stored history does not hold (cluster/HISTORY.md).
 *
 * @param kind {@code break}: a version's chain hash is not what its fields and the version before it give, or it
 *     follows another version than the one before it; {@code gap}: a version it follows (or the object's latest, as
 *     its latest row names it) is missing and no pruning horizon records it
 * @param versionId the version that does not fit (for a missing latest version, the one the latest row names)
 */
public record HistoryProblem(String kind, String type, String objectId, String versionId, String detail)
    implements HistoryFinding {

  public static final String BREAK = "break";
  public static final String GAP = "gap";

  @Override
  public String event() {
    return "problem";
  }
}
