package io.entrabackup.cluster.restore;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Counts a restore job's writes so that a crash and resume neither loses nor repeats one. Each write has a name (the
 * item a skipped item would name: {@code members/<id>}, a property, {@code object}...) and is recorded as intended
 * ({@link RestoreWrites}) before it goes to Graph. The job's figure is then the writes this attempt made, plus the
 * writes an earlier attempt intended that this attempt found no longer to do: the directory was planned against
 * afresh, so such a write is a difference that is gone, because the lost attempt made it. A write this attempt planned
 * again counts only if Graph changed something now (an earlier try of it that did not land is not a write). So a
 * resumed restore counts each write once, as a restore that was never interrupted would.
 *
 * <p>The cost: one small insert before each Graph write, which takes far longer itself; a read of the job's few rows
 * at the start of an attempt.
 */
final class RestoreTally {

  private final RestoreWrites writes;
  private final String jobId;
  private final Set<String> earlier;
  private final Set<String> planned = new HashSet<>();
  private final Set<String> made = new HashSet<>();
  /** Hears of each write Graph made (the node's metrics). */
  private final Runnable onMade;

  private RestoreTally(RestoreWrites writes, String jobId, Set<String> earlier, Runnable onMade) {
    this.writes = writes;
    this.jobId = jobId;
    this.earlier = earlier;
    this.onMade = onMade;
  }

  /** The tally of a new attempt of the job: what earlier attempts intended is read first. */
  static CompletionStage<RestoreTally> start(RestoreWrites writes, String jobId, Runnable onMade) {
    return writes.intendedSoFar(jobId)
        .thenApply(earlier -> new RestoreTally(writes, jobId, Set.copyOf(earlier), onMade));
  }

  /** Completes once the write is recorded as intended: send it to Graph only then. */
  CompletionStage<Void> intend(String write) {
    synchronized (this) {
      planned.add(write);
    }
    return writes.intended(jobId, write).thenApply(done -> null);
  }

  /** As {@link #intend(String)}, for several writes sent as one request (a PATCH of several properties). */
  CompletionStage<Void> intend(Iterable<String> several) {
    CompletionStage<Void> all = CompletableFuture.completedFuture(null);
    for (String write : several) {
      CompletionStage<Void> one = intend(write);
      all = all.thenCombine(one, (a, b) -> null);
    }
    return all;
  }

  /** Graph made the write now. */
  synchronized void made(String write) {
    if (made.add(write)) {
      onMade.run();
    }
  }

  /** The job's writes, each once: this attempt's, and the earlier ones it found done. */
  synchronized long count() {
    Set<String> done = new HashSet<>(made);
    earlier.stream().filter(write -> !planned.contains(write)).forEach(done::add);
    return done.size();
  }
}
