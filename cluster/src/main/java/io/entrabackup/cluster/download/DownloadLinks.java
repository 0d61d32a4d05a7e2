package io.entrabackup.cluster.download;

import io.entrabackup.cluster.auth.SigningKeys;
import io.entrabackup.protocol.AccountId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;

/**
 * Signed content links: {@code /api/v1/downloads/{job}/content?expires=<epoch seconds>&signature=<kid>.<mac>},
 * the MAC an HMAC-SHA256 (the signing key named by kid, shared by every node) over the job id, the owning account and
 * the expiry. Any node verifies it without state; changing any part of the link, or using it for another account's
 * job, breaks the MAC; a kid no longer configured is refused. A signature without a kid (a link made before key ids)
 * is checked with the key of id {@value SigningKeys#LEGACY_KEY_ID}.
 */
public final class DownloadLinks {

  private final SigningKeys keys;

  public DownloadLinks(SigningKeys keys) {
    this.keys = keys;
  }

  public String link(String jobId, AccountId account, Instant expiresAt) {
    long expires = expiresAt.getEpochSecond();
    String kid = keys.currentKeyId();
    return "/api/v1/downloads/" + jobId + "/content?expires=" + expires + "&signature=" + kid + "."
        + signature(kid, jobId, account, expires).orElseThrow();
  }

  /** Whether {@code signature} is ours for this job, account and expiry (constant-time comparison). */
  public boolean verify(String jobId, AccountId account, long expires, String signature) {
    if (signature == null) {
      return false;
    }
    int dot = signature.indexOf('.');
    String kid = dot < 0 ? SigningKeys.LEGACY_KEY_ID : signature.substring(0, dot);
    byte[] given = signature.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
    return signature(kid, jobId, account, expires)
        .map(expected -> MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given))
        .orElse(false);
  }

  // The link carries the signed parts itself, so only the MAC; empty when kid names no key we accept.
  private Optional<String> signature(String kid, String jobId, AccountId account, long expires) {
    return keys.mac(kid, "download\n" + jobId + "\n" + account.value() + "\n" + expires);
  }
}
