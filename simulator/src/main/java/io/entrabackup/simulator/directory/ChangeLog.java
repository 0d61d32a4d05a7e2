package io.entrabackup.simulator.directory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * One tenant's change log: every write appends one entry per change it made, numbered by {@code seq} from 1; a delta
 * round reads the entries between two positions (a delta token is a position). Not thread-safe: the tenant locks.
 */
final class ChangeLog {
  private final List<Change> entries = new ArrayList<>();
  private long seq;

  /** The position of the latest entry (0 before the first). */
  long seq() {
    return seq;
  }

  void record(ObjectKind kind, int index, Change.Type type, Set<String> props, String relation, long member) {
    seq++;
    entries.add(new Change(seq, kind, index, type, props, relation, member));
  }

  /** The entries after {@code afterSeq} up to and including {@code uptoSeq}. */
  List<Change> between(long afterSeq, long uptoSeq) {
    int from = Collections.binarySearch(seqs(), afterSeq + 1);
    if (from < 0) {
      from = -from - 1;
    }
    List<Change> out = new ArrayList<>();
    for (int i = from; i < entries.size() && entries.get(i).seq() <= uptoSeq; i++) {
      out.add(entries.get(i));
    }
    return out;
  }

  private List<Long> seqs() {
    return new java.util.AbstractList<>() {
      @Override public Long get(int i) { return entries.get(i).seq(); }
      @Override public int size() { return entries.size(); }
    };
  }
}
