package io.entrabackup.cluster.download;

import io.entrabackup.cluster.auth.HmacSigner;
import io.entrabackup.protocol.AccountId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * Signed content links: {@code /api/v1/downloads/{job}/content?expires=<epoch seconds>&signature=<mac>},
 * the MAC an HMAC-SHA256 (the node's shared signing key) over the job id, the owning account and the
 * expiry. Any node verifies it without state; changing any part of the link, or using it for another
 * account's job, breaks the MAC.
 */
public final class DownloadLinks {

  private final HmacSigner signer;

  public DownloadLinks(HmacSigner signer) {
    this.signer = signer;
  }

  public String link(String jobId, AccountId account, Instant expiresAt) {
    long expires = expiresAt.getEpochSecond();
    return "/api/v1/downloads/" + jobId + "/content?expires=" + expires + "&signature=" + signature(jobId, account,
        expires);
  }

  /** Whether {@code signature} is ours for this job, account and expiry (constant-time comparison). */
  public boolean verify(String jobId, AccountId account, long expires, String signature) {
    byte[] expected = signature(jobId, account, expires).getBytes(StandardCharsets.US_ASCII);
    return signature != null && MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
  }

  private String signature(String jobId, AccountId account, long expires) {
    String signed = signer.sign("download\n" + jobId + "\n" + account.value() + "\n" + expires);
    // HmacSigner answers payload.mac; the link carries the payload's parts itself, so only the MAC.
    return signed.substring(signed.indexOf('.') + 1);
  }
}
