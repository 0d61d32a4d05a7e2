package io.entrabackup.cluster.retention;

import io.entrabackup.protocol.backup.JobProgress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A retention pass's figures: objects examined, versions pruned, reference chunks deleted, and the pruned states'
 * size (uncompressed canonical JSON). Exact after a crash: each checkpoint stores them with its position, and objects
 * pruned after the last checkpoint are counted again from what their partition records (RetentionRows).
 */
public record RetentionFigures(long objects, long versions, long chunks, long stateBytes) {

  public static final String OBJECTS = "objectsExamined";
  public static final String VERSIONS = "versionsPruned";
  public static final String CHUNKS = "chunksDeleted";
  public static final String BYTES = "stateBytesPruned";

  public static final RetentionFigures ZERO = new RetentionFigures(0, 0, 0, 0);

  public RetentionFigures plus(RetentionFigures other) {
    return new RetentionFigures(objects + other.objects, versions + other.versions, chunks + other.chunks,
        stateBytes + other.stateBytes);
  }

  /** As the job row's progress entries. */
  public Map<String, Long> asProgress() {
    return Map.of(OBJECTS, objects, VERSIONS, versions, CHUNKS, chunks, BYTES, stateBytes);
  }

  /** As the audit record's target entries. */
  Map<String, String> asTarget() {
    return Map.of(OBJECTS, Long.toString(objects), VERSIONS, Long.toString(versions), CHUNKS,
        Long.toString(chunks), BYTES, Long.toString(stateBytes));
  }

  /** System Status's bar of a retention job: objects examined (their total is not known ahead). */
  public static JobProgress progress(Map<String, Long> progress) {
    return new JobProgress(progress.getOrDefault(OBJECTS, 0L), Optional.empty(), Optional.empty(), Optional.empty(),
        List.of(), Optional.empty());
  }
}
