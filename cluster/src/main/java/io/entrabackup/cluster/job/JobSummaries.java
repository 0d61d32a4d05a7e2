package io.entrabackup.cluster.job;

import io.entrabackup.cluster.download.DownloadJobRows;
import io.entrabackup.cluster.retention.RetentionFigures;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobProgress;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.backup.TypeProgress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A job row's progress as bars ({@link JobProgress}), from its recorded figures only: a backup's finished types from
 * their milestones ({@code counts_by_type}, written from the journal, so exact after any crash), the type in flight
 * from the runner's latest report; a download's objects written of its total; a restore's one object.
 */
final class JobSummaries {

  private JobSummaries() {}

  static JobProgress of(JobKind kind, JobState state, List<String> types, Map<String, Long> progress,
      Map<String, TypeCounts> countsByType, Optional<Long> durationMillis) {
    JobProgress summary = switch (kind) {
      case BACKUP -> backup(state, types, progress, countsByType);
      case DOWNLOAD -> download(progress);
      case RESTORE -> restore(state);
      case RETENTION -> RetentionFigures.progress(progress);
    };
    return withThroughput(summary, durationMillis);
  }

  private static JobProgress backup(JobState state, List<String> runTypes, Map<String, Long> progress,
      Map<String, TypeCounts> countsByType) {
    // Rows written before runs recorded their types list only what they saw.
    Set<String> names = new LinkedHashSet<>(runTypes);
    names.addAll(countsByType.keySet());
    names.addAll(progress.keySet());
    List<TypeProgress> types = new ArrayList<>();
    boolean inFlightNamed = false;
    long objects = 0;
    for (String type : names) {
      TypeCounts finished = countsByType.get(type);
      boolean done = finished != null;
      // A finished type's count is its milestone's: a late report of the type in flight never lowers it.
      long seen = done ? finished.seen() : progress.getOrDefault(type, 0L);
      boolean running = !done && !inFlightNamed && state == JobState.RUNNING;
      inFlightNamed |= running;
      types.add(new TypeProgress(type, seen, done, running));
      objects += seen;
    }
    int done = (int) types.stream().filter(TypeProgress::done).count();
    Optional<Integer> total = runTypes.isEmpty() ? Optional.empty() : Optional.of(runTypes.size());
    return new JobProgress(objects, Optional.empty(), Optional.of(done), total, types, Optional.empty());
  }

  private static JobProgress download(Map<String, Long> progress) {
    long written = progress.getOrDefault(DownloadJobRows.OBJECTS_WRITTEN, 0L);
    Optional<Long> total = Optional.ofNullable(progress.get(DownloadJobRows.OBJECTS_TOTAL));
    return new JobProgress(written, total, Optional.empty(), Optional.empty(), List.of(), Optional.empty());
  }

  private static JobProgress restore(JobState state) {
    long done = state == JobState.COMPLETED || state == JobState.COMPLETED_WITH_SKIPPED_ITEMS ? 1 : 0;
    return new JobProgress(done, Optional.of(1L), Optional.empty(), Optional.empty(), List.of(), Optional.empty());
  }

  /** Objects per second of a finished job: its objects over its recorded duration, start to end. */
  private static JobProgress withThroughput(JobProgress summary, Optional<Long> durationMillis) {
    Optional<Double> rate = durationMillis.filter(millis -> millis > 0)
        .map(millis -> summary.objectsDone() * 1000.0 / millis);
    return new JobProgress(summary.objectsDone(), summary.objectsTotal(), summary.typesDone(), summary.typesTotal(),
        summary.types(), rate);
  }
}
