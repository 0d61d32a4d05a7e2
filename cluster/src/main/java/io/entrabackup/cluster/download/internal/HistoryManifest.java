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
   * How a version's content hash is made: {@code sha256} is SHA-256 over the canonical properties and the chunk ids of
   * its reference sets (ContentHash), which anyone can recompute from the file. A keyed content hash (an HMAC under the
   * tenant's key) must name itself otherwise here, so the offline check knows it cannot.
   */
  public static final String CONTENT_HASH = "sha256";

  private HistoryManifest() {}

  static ObjectNode description() {
    ObjectNode history = JsonNodeFactory.instance.objectNode();
    history.put("chain", CHAIN);
    history.put("contentHash", CONTENT_HASH);
    return history;
  }
}
