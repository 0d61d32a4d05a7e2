package io.entrabackup.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** One measured backup. */
record Phase(String name, String jobId, JsonNode job, long observedMillis, long snapshotRows,
    Map<String, Long> requestsByType, long throttled, HeapLog.Peak heap, Map<String, Long> changedByType,
    Map<String, Double> cpu) {

  String cpuFigures() {
    return String.format("%.1f / %.1f / %.1f / %.1f / %.1f", cpu.getOrDefault("node", -1.0),
        cpu.getOrDefault("cassandra", -1.0), cpu.getOrDefault("simulator", -1.0), cpu.getOrDefault("machine", -1.0),
        cpu.getOrDefault("wall", -1.0));
  }

  double seconds() {
    return job.path("durationMillis").asLong() / 1000.0;
  }

  long seen() {
    return job.path("counts").path("seen").asLong();
  }

  long seenOf(String type) {
    return job.path("countsByType").path(type).path("seen").asLong();
  }

  long count(String field) {
    return job.path("counts").path(field).asLong();
  }
}
