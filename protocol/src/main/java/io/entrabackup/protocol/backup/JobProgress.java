package io.entrabackup.protocol.backup;

import java.util.List;
import java.util.Optional;

/**
 * A job's progress as System Status draws it: bars, and the throughput of a finished job.
 *
 * @param objectsDone objects handled so far: read (backup), written to the ZIP (download), restored (restore)
 * @param objectsTotal how many there will be, when known (download: the build's estimate until it ends; restore: 1)
 * @param typesDone backups: object types whose snapshots are written
 * @param typesTotal backups: object types the run backs up (absent on rows written before runs recorded them)
 * @param types backups: each object type of the run, in the run's order
 * @param objectsPerSecond a finished job's {@code objectsDone} over its duration (start to end, from the job's row)
 */
public record JobProgress(long objectsDone, Optional<Long> objectsTotal, Optional<Integer> typesDone,
    Optional<Integer> typesTotal, List<TypeProgress> types, Optional<Double> objectsPerSecond) {

  public static final JobProgress NONE =
      new JobProgress(0, Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty());

  public JobProgress {
    types = List.copyOf(types);
  }
}
