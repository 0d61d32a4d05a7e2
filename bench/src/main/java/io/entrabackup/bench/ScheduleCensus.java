package io.entrabackup.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What System Status says the day of many tenants did, tenant by tenant: each tenant's first backup (the jobs of one
 * trigger: {@code manual} when the bench releases them with Backup Now), and its scheduled backups matched to the
 * slots of its schedule. A tenant's slots fall every period at an offset taken from its id (the node's
 * {@code BackupSchedule}, repeated here so the check does not trust the code it checks); a scheduled job belongs to
 * the slot it was queued in. A slot after the first backup ended and before the census (less a grace for the queue)
 * without a job is missed, whatever happened to the nodes meanwhile (no slot is excused: a cluster with a node up
 * must run it); a slot with two is a duplicate.
 */
final class ScheduleCensus {

  /** The backup jobs of one tenant. */
  private record TenantJobs(List<JsonNode> first, List<JsonNode> scheduled) {}

  /** Figures of a set of jobs (one per tenant and slot generation). */
  record Runs(int jobs, int completed, long objectsSeen, long graphRequests, long maxGraphRequests,
      Instant firstQueued, Instant lastFinished, long maxWaitMillis, long totalWaitMillis) {

    double objectsPerSecond() {
      double seconds = seconds();
      return seconds <= 0 ? 0 : objectsSeen / seconds;
    }

    double seconds() {
      return firstQueued == null || lastFinished == null ? 0
          : Duration.between(firstQueued, lastFinished).toMillis() / 1000.0;
    }

    double graphRequestsPerJob() {
      return jobs == 0 ? 0 : (double) graphRequests / jobs;
    }

    double averageWaitSeconds() {
      return jobs == 0 ? 0 : totalWaitMillis / 1000.0 / jobs;
    }
  }

  private final Map<String, TenantJobs> byTenant = new HashMap<>();
  private final Duration period;

  /** {@code firstTrigger}: the trigger of each tenant's first backup ({@code manual} or {@code immediate}). */
  ScheduleCensus(Set<String> tenantIds, List<JsonNode> jobs, Duration period, String firstTrigger) {
    this.period = period;
    tenantIds.forEach(id -> byTenant.put(id, new TenantJobs(new ArrayList<>(), new ArrayList<>())));
    for (JsonNode job : jobs) {
      TenantJobs tenant = byTenant.get(job.path("tenantId").asText());
      if (tenant == null) {
        continue;
      }
      String trigger = job.path("trigger").asText();
      if (trigger.equals(firstTrigger)) {
        tenant.first().add(job);
      } else if (trigger.equals("scheduled")) {
        tenant.scheduled().add(job);
      }
    }
  }

  /** Tenants without exactly one first backup (missing ones count as missed runs, extra ones as duplicates). */
  int[] firstBackupsMissedAndDuplicated() {
    int missed = 0;
    int duplicated = 0;
    for (TenantJobs jobs : byTenant.values()) {
      missed += jobs.first().isEmpty() ? 1 : 0;
      duplicated += Math.max(0, jobs.first().size() - 1);
    }
    return new int[] {missed, duplicated};
  }

  boolean firstBackupsDone() {
    return byTenant.values().stream().allMatch(jobs -> jobs.first().size() == 1
        && jobs.first().get(0).hasNonNull("finishedAt"));
  }

  Runs firstBackups() {
    List<JsonNode> jobs = new ArrayList<>();
    byTenant.values().forEach(t -> jobs.addAll(t.first()));
    return runs(jobs);
  }

  /** The scheduled jobs of the {@code generation}-th slot after each tenant's first backup (0: the first period). */
  List<JsonNode> scheduled(int generation) {
    List<JsonNode> jobs = new ArrayList<>();
    byTenant.forEach((tenant, t) -> firstSlot(tenant, t).ifPresent(slot -> t.scheduled().stream()
        .filter(job -> slotOf(tenant, job) == slot + generation).forEach(jobs::add)));
    return jobs;
  }

  /** Whether the job's run found anything new, changed or removed. */
  static boolean changedAnything(JsonNode job) {
    JsonNode counts = job.path("counts");
    return counts.path("created").asLong() + counts.path("changed").asLong() + counts.path("removed").asLong() > 0;
  }

  /** Slots up to {@code until} (a slot counts once the queue had {@code grace} to start it) without a run, by generation. */
  Map<Integer, Integer> missedByGeneration(Instant until, Duration grace) {
    Map<Integer, Integer> missed = new TreeMap<>();
    byTenant.forEach((tenant, t) -> {
      Optional<Long> first = firstSlot(tenant, t);
      if (first.isEmpty()) {
        return;
      }
      Map<Long, Integer> counts = slotCounts(tenant, t);
      for (long slot = first.get(); start(tenant, slot).plus(grace).isBefore(until); slot++) {
        missed.merge((int) (slot - first.get()), counts.containsKey(slot) ? 0 : 1, Integer::sum);
      }
    });
    return missed;
  }

  /** Runs beyond the first in any slot of any tenant. */
  int duplicates() {
    int duplicates = 0;
    for (var entry : byTenant.entrySet()) {
      for (int count : slotCounts(entry.getKey(), entry.getValue()).values()) {
        duplicates += count - 1;
      }
    }
    return duplicates;
  }

  /** Scheduled runs not (yet) completed: queued, running or failed. */
  Map<String, Integer> scheduledStates() {
    Map<String, Integer> states = new TreeMap<>();
    byTenant.values().forEach(t -> t.scheduled().forEach(job -> states.merge(job.path("state").asText(), 1, Integer::sum)));
    return states;
  }

  private Map<Long, Integer> slotCounts(String tenant, TenantJobs t) {
    Map<Long, Integer> counts = new HashMap<>();
    t.scheduled().forEach(job -> counts.merge(slotOf(tenant, job), 1, Integer::sum));
    return counts;
  }

  /** The first slot strictly after the tenant's first backup ended. */
  private Optional<Long> firstSlot(String tenant, TenantJobs t) {
    if (t.first().isEmpty() || !t.first().get(0).hasNonNull("finishedAt")) {
      return Optional.empty();
    }
    Instant finished = Instant.parse(t.first().get(0).get("finishedAt").asText());
    return Optional.of(Math.floorDiv(finished.toEpochMilli() - offset(tenant), period.toMillis()) + 1);
  }

  private long slotOf(String tenant, JsonNode job) {
    Instant queued = Instant.parse(job.path("queuedAt").asText());
    return Math.floorDiv(queued.toEpochMilli() - offset(tenant), period.toMillis());
  }

  private Instant start(String tenant, long slot) {
    return Instant.ofEpochMilli(offset(tenant) + slot * period.toMillis());
  }

  private long offset(String tenant) {
    return Math.floorMod(UUID.fromString(tenant).getLeastSignificantBits(), period.toMillis());
  }

  static Runs runs(List<JsonNode> jobs) {
    int completed = 0;
    long seen = 0;
    long requests = 0;
    long maxRequests = 0;
    long maxWait = 0;
    long totalWait = 0;
    Instant first = null;
    Instant last = null;
    for (JsonNode job : jobs) {
      Instant queued = Instant.parse(job.path("queuedAt").asText());
      first = first == null || queued.isBefore(first) ? queued : first;
      if (job.hasNonNull("finishedAt")) {
        Instant finished = Instant.parse(job.get("finishedAt").asText());
        last = last == null || finished.isAfter(last) ? finished : last;
      }
      if (job.path("state").asText().startsWith("completed")) {
        completed++;
      }
      if (job.hasNonNull("startedAt")) {
        long wait = Duration.between(queued, Instant.parse(job.get("startedAt").asText())).toMillis();
        maxWait = Math.max(maxWait, wait);
        totalWait += wait;
      }
      seen += job.path("counts").path("seen").asLong();
      long r = job.path("graph").path("requests").asLong();
      requests += r;
      maxRequests = Math.max(maxRequests, r);
    }
    return new Runs(jobs.size(), completed, seen, requests, maxRequests, first, last, maxWait, totalWait);
  }
}
