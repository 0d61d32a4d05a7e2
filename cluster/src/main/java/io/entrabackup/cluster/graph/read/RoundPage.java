package io.entrabackup.cluster.graph.read;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * One page of a Graph round, raw.
 *
 * @param objects the page's objects exactly as Graph sent them (every property, annotations included: {@code @removed},
 *     {@code members@delta}, {@code owners@delta}, {@code manager@delta}); an object may repeat within a round (the
 *     last one wins) and a big group repeats on every page its member links span
 * @param deltaLink present on the last page of a delta round (users, groups, directoryRoles): keep it for next time
 * @param last whether this is the round's final page
 * @param fullRound whether this page belongs to a round that returns every object (first round, no deltaLink given,
 *     list endpoints, or restarted after an expired link): objects missing from such a round are gone. Once a round
 *     restarted as a full round, every later page of the same Source has {@code fullRound = true}.
 * @param requests Graph requests made for this page, retries included
 * @param throttled 429 answers among them
 * @param bytes response body bytes read for this page (failed attempts included)
 */
public record RoundPage(
    List<ObjectNode> objects,
    Optional<String> deltaLink,
    boolean last,
    boolean fullRound,
    int requests,
    int throttled,
    long bytes) {
  public RoundPage {
    objects = List.copyOf(objects);
  }
}
