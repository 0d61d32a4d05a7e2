package io.entrabackup.cluster.download.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The manifest's {@code history} section: how its files' {@code contentHash} and {@code chainHash} are made, so that
 * an offline check ({@code deploy/history-verify --zip}) knows what it can recompute (cluster/HISTORY.md).
 */
public final class HistoryManifest {

  /** The chain format ({@code VersionChain}). */
  public static final String CHAIN = "entra-backup history v1";
  /**
   * How a version's content hash is made: HMAC-SHA256 under the tenant's hash key (snapshot.internal.ContentHash), stored
   * in clear and so keyed, lest it confirm a guessed state. Nobody without the key recomputes it from a file: the offline
   * check proves files against their manifest SHA-256 and links against each other, and says it cannot prove content
   * against the content hash. ({@code sha256} names an unkeyed one, which the check would recompute.)
   */
  public static final String CONTENT_HASH = "hmac-sha256";

  private HistoryManifest() {}

  static ObjectNode description() {
    ObjectNode history = JsonNodeFactory.instance.objectNode();
    history.put("chain", CHAIN);
    history.put("contentHash", CONTENT_HASH);
    return history;
  }
}
