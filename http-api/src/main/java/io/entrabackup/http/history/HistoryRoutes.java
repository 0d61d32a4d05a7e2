package io.entrabackup.http.history;

import static io.entrabackup.http.auth.RequireScope.require;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.http.ApiJson;
import io.entrabackup.http.Problems;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.Scope;
import io.entrabackup.protocol.api.Problem;
import io.entrabackup.protocol.history.HistoryFinding;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.util.ByteString;

/**
 * {@code GET /tenants/{id}/history/verification}: walks the tenant's stored history and streams its findings as
 * newline-delimited JSON, each line an object with an {@code event}: {@code problem} (a break or a gap, as found),
 * {@code progress} (every 1,000 objects, so a long walk shows it is alive and keeps the connection busy) and, last,
 * {@code report} (the figures; {@code intact} says whether the history holds). A walk that fails midway ends with an
 * {@code error} line instead of a report. Synchronous but bounded: the node runs at most
 * {@code entra-backup.history.max-verifications-per-node} at once (429 beyond), each in constant memory.
 */
public final class HistoryRoutes extends AllDirectives {

  private static final ContentType NDJSON =
      MediaTypes.applicationWithFixedCharset("x-ndjson", HttpCharsets.UTF_8).toContentType();

  private final HistoryClient history;

  public HistoryRoutes(HistoryClient history) {
    this.history = history;
  }

  /** The routes under one tenant, its id already parsed. */
  public Route routes(Caller caller, TenantId tenant) {
    return path(PathMatchers.segment("history").slash("verification"), () -> get(() -> require(caller, Scope.READ, () ->
        onSuccess(history.verify(caller, tenant), this::answer))));
  }

  private Route answer(HistoryClient.Outcome outcome) {
    if (outcome instanceof HistoryClient.Outcome.Walking walking) {
      return complete(HttpResponse.create().withEntity(HttpEntities.create(NDJSON, walking.findings()
          .map(HistoryRoutes::line)
          .recover(Exception.class, () -> ByteString.fromString(
              "{\"event\":\"error\",\"detail\":\"the verification stopped before its end; run it again\"}\n")))));
    }
    if (outcome instanceof HistoryClient.Outcome.Busy) {
      return complete(Problems.response(Problem.of("verification-busy", "Too many verifications", 429,
          "This node runs as many history verifications as it allows; try again when one has ended")));
    }
    return complete(Problems.notFound("No such tenant in this account"));
  }

  private static ByteString line(HistoryFinding finding) {
    ObjectNode json = ApiJson.MAPPER.valueToTree(finding);
    ObjectNode line = ApiJson.MAPPER.createObjectNode().put("event", finding.event());
    line.setAll(json);
    try {
      return ByteString.fromString(ApiJson.MAPPER.writeValueAsString(line) + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a history finding is always JSON", e);
    }
  }
}
