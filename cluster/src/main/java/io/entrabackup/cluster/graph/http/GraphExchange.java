package io.entrabackup.cluster.graph.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.cluster.job.JobMdc;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One logical request to Graph for one tenant, as {@link GraphHttp} sends it: once, or again under {@code policy}.
 *
 * @param tenant the Entra tenant whose token, gate and budget the request uses
 * @param method HTTP method
 * @param url absolute URL (a nextLink or deltaLink as Graph gave it, or base URL plus path)
 * @param body JSON sent as is (writes), if any
 * @param headers extra request headers (e.g. {@code Prefer})
 * @param what the request in the operator's words, for log lines and failure messages ("page 3 of users")
 * @param policy the retry budget of this kind of request
 * @param bodyProblem for a 2xx answer: why its body is not what was asked for (retried like a cut body); empty = fine
 * @param traffic where every attempt that went out is counted
 * @param job the job the request is part of, if any: its log lines carry the job's MDC, and its request id is sent
 *     as {@code client-request-id} (see {@link GraphHttp#send})
 */
public record GraphExchange(
    String tenant,
    String method,
    String url,
    Optional<JsonNode> body,
    Map<String, String> headers,
    String what,
    RetryPolicy policy,
    Function<GraphAnswer, Optional<String>> bodyProblem,
    GraphTrafficCounter traffic,
    Optional<JobMdc> job) {

  public GraphExchange {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(body, "body");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(bodyProblem, "bodyProblem");
    Objects.requireNonNull(traffic, "traffic");
    Objects.requireNonNull(job, "job");
  }

  /** A request of no job. */
  public GraphExchange(String tenant, String method, String url, Optional<JsonNode> body, Map<String, String> headers,
      String what, RetryPolicy policy, Function<GraphAnswer, Optional<String>> bodyProblem,
      GraphTrafficCounter traffic) {
    this(tenant, method, url, body, headers, what, policy, bodyProblem, traffic, Optional.empty());
  }

  /** A request whose every answer body is acceptable, counted into {@code traffic}. */
  public static GraphExchange of(String tenant, String method, String url, Optional<JsonNode> body, String what,
      RetryPolicy policy, GraphTrafficCounter traffic) {
    return new GraphExchange(tenant, method, url, body, Map.of(), what, policy, answer -> Optional.empty(), traffic);
  }

  public GraphExchange withHeaders(Map<String, String> more) {
    return new GraphExchange(tenant, method, url, body, more, what, policy, bodyProblem, traffic, job);
  }

  public GraphExchange withBodyCheck(Function<GraphAnswer, Optional<String>> check) {
    return new GraphExchange(tenant, method, url, body, headers, what, policy, check, traffic, job);
  }

  /** The request as part of {@code of}: see {@code job} above. */
  public GraphExchange forJob(Optional<JobMdc> of) {
    return new GraphExchange(tenant, method, url, body, headers, what, policy, bodyProblem, traffic, of);
  }
}
