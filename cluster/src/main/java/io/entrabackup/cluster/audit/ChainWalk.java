package io.entrabackup.cluster.audit;

import io.entrabackup.protocol.audit.AuditEntry;
import io.entrabackup.protocol.audit.ChainCheck;
import java.util.Optional;

/**
 * Walks one account's trail in sequence order and finds the first place where the chain does not hold: a sequence
 * number missing, a record whose previous hash is not its predecessor's hash, a record whose fields do not hash to
 * its stored hash (altered), or a head that promises records that are not there (the last ones removed).
 *
 * <p>What no hash chain can show on its own: a trail cut short together with its head row, or one rewritten from
 * some record on with every later hash recomputed. Both need write access to Cassandra; keep the verify command's
 * output (the last sequence and hash) elsewhere to detect them.
 */
final class ChainWalk {

  private final String account;
  private final Optional<Head> head;
  private long expected = 1;
  private String previousHash = AuditChain.GENESIS;
  private Optional<ChainCheck.Break> firstBreak = Optional.empty();

  /** Where the head row says the trail ends. */
  record Head(long sequence, String hash) {}

  ChainWalk(String account, Optional<Head> head) {
    this.account = account;
    this.head = head;
  }

  boolean broken() {
    return firstBreak.isPresent();
  }

  void accept(AuditEntry entry) {
    if (broken()) {
      return;
    }
    if (entry.sequence() != expected) {
      fail(expected, entry.sequence() < expected
          ? "record " + entry.sequence() + " appears twice or out of order"
          : "record " + expected + " is missing (the next record found is " + entry.sequence() + ")");
      return;
    }
    if (!entry.previousHash().equals(previousHash)) {
      fail(expected, "its previous hash " + brief(entry.previousHash()) + " is not the hash of record "
          + (expected - 1) + " (" + brief(previousHash) + ")");
      return;
    }
    String computed = AuditChain.hash(entry);
    if (!computed.equals(entry.hash())) {
      fail(expected, "its fields do not hash to its stored hash (stored " + brief(entry.hash()) + ", fields give "
          + brief(computed) + "): the record was altered");
      return;
    }
    if (head.isPresent() && head.get().sequence() == expected && !head.get().hash().equals(entry.hash())) {
      fail(expected, "the trail's head names hash " + brief(head.get().hash()) + " for it, the record has "
          + brief(entry.hash()));
      return;
    }
    previousHash = entry.hash();
    expected++;
  }

  /** A record that could not be read as one we write (an unknown action or outcome): altered. */
  void unreadable(long sequence, String why) {
    if (!broken()) {
      fail(sequence, sequence == expected ? "it cannot be read (" + why + "): the record was altered"
          : "record " + expected + " is missing (the next record found is " + sequence + ")");
    }
  }

  ChainCheck result() {
    long records = expected - 1;
    if (!broken() && head.isEmpty() && records > 0) {
      fail(records, "the trail's head row is missing (it names the last record's sequence and hash)");
    } else if (!broken() && head.isPresent() && head.get().sequence() > records) {
      fail(records + 1, "records " + (records + 1) + " to " + head.get().sequence()
          + " are missing: the trail's head says it ends at " + head.get().sequence());
    }
    return new ChainCheck(account, records, firstBreak);
  }

  private void fail(long sequence, String problem) {
    firstBreak = Optional.of(new ChainCheck.Break(sequence, problem));
  }

  private static String brief(String hash) {
    return hash.length() > 16 ? hash.substring(0, 16) + "…" : hash;
  }
}
