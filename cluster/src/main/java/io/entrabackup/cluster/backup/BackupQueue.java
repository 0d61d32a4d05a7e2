package io.entrabackup.cluster.backup;

import io.entrabackup.protocol.AccountId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The backups of one node that wait for a slot, served fairly: round-robin across accounts, first come first served
 * within an account. Runs join the queue when they fall due (the schedule fires at the due time), so "first come" is
 * "first due". An account with 5,000 due tenants and one with 5 take turns: the small account's runs each wait for at
 * most one run of every other waiting account, never for the big account's whole backlog.
 *
 * @param <W> what waits (the slot keeper's waiting run)
 */
final class BackupQueue<W> {

  /** Accounts with waiting runs, in the order they are served next; each with its runs, oldest first. */
  private final LinkedHashMap<AccountId, Deque<W>> byAccount = new LinkedHashMap<>();
  private int size;

  void add(AccountId account, W waiting) {
    byAccount.computeIfAbsent(account, a -> new ArrayDeque<>()).addLast(waiting);
    size++;
  }

  /** The next run to start: the oldest of the account whose turn it is; that account then goes to the back. */
  Optional<W> next() {
    var it = byAccount.entrySet().iterator();
    if (!it.hasNext()) {
      return Optional.empty();
    }
    Map.Entry<AccountId, Deque<W>> turn = it.next();
    it.remove();
    W first = turn.getValue().removeFirst();
    if (!turn.getValue().isEmpty()) {
      byAccount.put(turn.getKey(), turn.getValue());
    }
    size--;
    return Optional.of(first);
  }

  /** Drops a waiting run that went away (its tenant stopped) before it got a slot; true when it was waiting. */
  boolean remove(Predicate<W> which) {
    for (var it = byAccount.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<AccountId, Deque<W>> entry = it.next();
      int before = entry.getValue().size();
      if (entry.getValue().removeIf(which)) {
        size -= before - entry.getValue().size();
        if (entry.getValue().isEmpty()) {
          it.remove();
        }
        return true;
      }
    }
    return false;
  }

  int size() {
    return size;
  }

  /** The waiting runs in the order they would start if no more came. */
  List<W> inServiceOrder() {
    List<Deque<W>> queues = new ArrayList<>();
    byAccount.values().forEach(q -> queues.add(new ArrayDeque<>(q)));
    List<W> order = new ArrayList<>(size);
    while (order.size() < size) {
      for (Deque<W> q : queues) {
        if (!q.isEmpty()) {
          order.add(q.removeFirst());
        }
      }
    }
    return order;
  }
}
