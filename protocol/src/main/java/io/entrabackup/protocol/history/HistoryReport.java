package io.entrabackup.protocol.history;

/**
 * The figures of one verification of a tenant's stored history (cluster/HISTORY.md), exact for what was read.
 *
 * @param objects objects walked (every object ever stored, deleted ones too)
 * @param versions versions read
 * @param chained versions whose chain hash was recomputed and matched
 * @param unchained versions written before chains (no chain hash): listed, not checked
 * @param horizons objects whose kept history starts at a recorded pruning horizon
 * @param breaks versions whose chain does not hold
 * @param gaps missing versions
 * @param intact no break and no gap
 */
public record HistoryReport(String tenant, long objects, long versions, long chained, long unchained, long horizons,
    long breaks, long gaps, boolean intact) implements HistoryFinding {

  @Override
  public String event() {
    return "report";
  }
}
