package io.entrabackup.cluster.graph;

/**
 * Graph answered a page that is not valid Graph JSON (cut mid-JSON, no {@code value} array, no next or delta link),
 * and it stayed so after every retry. Not worth retrying as is: the round fails and earlier snapshots stay intact.
 */
public final class MalformedPageException extends GraphAccessException {
  private final String url;

  public MalformedPageException(String tenantId, String url, String message, Throwable cause) {
    super(tenantId, message, cause);
    this.url = url;
  }

  /** The page URL that answered malformed JSON. */
  public String url() {
    return url;
  }
}
