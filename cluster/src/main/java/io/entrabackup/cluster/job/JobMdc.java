package io.entrabackup.cluster.job;

import io.entrabackup.cluster.logging.MdcScope;
import io.entrabackup.protocol.backup.JobKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every log line of a job carries in the MDC, so one job's lines can be found in a node's log without parsing
 * messages: {@code tenantId}, {@code jobId}, {@code jobKind} ({@code backup}, {@code download}, {@code restore},
 * {@code retention}) and, when the job has one, {@code requestId} (the HTTP request that started it, or the job's own
 * id when the schedule did). Actors take {@link #entries()} with {@code Behaviors.withMdc}; stream stages and future
 * callbacks run on whatever thread completed them, so they log inside {@link #run}.
 */
public record JobMdc(String tenantId, String jobId, JobKind kind, Optional<String> requestId) {
  public static final String TENANT_ID = "tenantId";
  public static final String JOB_ID = "jobId";
  public static final String JOB_KIND = "jobKind";
  public static final String REQUEST_ID = "requestId";

  public JobMdc {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(requestId, "requestId");
  }

  /** The MDC entries, in the order a text line shows them. */
  public Map<String, String> entries() {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put(TENANT_ID, tenantId);
    entries.put(JOB_ID, jobId);
    entries.put(JOB_KIND, kind.apiName());
    requestId.ifPresent(id -> entries.put(REQUEST_ID, id));
    return Map.copyOf(entries);
  }

  /** Runs {@code statement} with the job's entries in this thread's MDC, then puts back what was there. */
  public void run(Runnable statement) {
    call(() -> {
      statement.run();
      return null;
    });
  }

  /** {@link #run} for work with a result. */
  public <T> T call(Supplier<T> work) {
    return MdcScope.call(entries(), work);
  }
}
