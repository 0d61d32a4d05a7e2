package io.entrabackup.simulator.graph;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The state behind an opaque {@code $skiptoken} or {@code $deltatoken}: which collection and tenant, which round
 * (full, incremental or plain list), the change-log window it covers, where the next page starts, when it was issued
 * (simulator clock) and the {@code $select} it carries. Signed so clients cannot edit it.
 *
 * @param mode F = full delta round, I = incremental delta round, L = plain list paging
 */
public record PageToken(String collection, int tenant, char mode, long fromSeq, long toSeq, int pos, int phase,
                        int offset, long issuedAt, int pageSize, String select, String scope, long epoch) {

  /** A token not yet issued: the epoch is stamped when it is encoded. */
  public PageToken(String collection, int tenant, char mode, long fromSeq, long toSeq, int pos, int phase, int offset,
                   long issuedAt, int pageSize, String select, String scope) {
    this(collection, tenant, mode, fromSeq, toSeq, pos, phase, offset, issuedAt, pageSize, select, scope, 0L);
  }

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  public PageToken next(int newPos, int newPhase, int newOffset, long now) {
    return new PageToken(collection, tenant, mode, fromSeq, toSeq, newPos, newPhase, newOffset, now, pageSize, select, scope, epoch);
  }

  /**
   * Encodes and signs the token. {@code epoch} identifies the simulator process that issued it: its change log is
   * in memory, so a token from an earlier run no longer points anywhere.
   */
  public String encode(byte[] key, long epoch) {
    String body = String.join("~", "v1", Long.toString(epoch), collection, Integer.toString(tenant), String.valueOf(mode), Long.toString(fromSeq),
        Long.toString(toSeq), Integer.toString(pos), Integer.toString(phase), Integer.toString(offset),
        Long.toString(issuedAt), Integer.toString(pageSize), select == null ? "" : select, scope == null ? "" : scope);
    String payload = B64.encodeToString(body.getBytes(StandardCharsets.UTF_8));
    return payload + "." + B64.encodeToString(mac(key, payload));
  }

  /** Decodes a token; null when it was not issued by this simulator or was altered. */
  public static PageToken decode(String token, byte[] key) {
    if (token == null) {
      return null;
    }
    int dot = token.lastIndexOf('.');
    if (dot < 0) {
      return null;
    }
    try {
      String payload = token.substring(0, dot);
      if (!MessageDigest.isEqual(mac(key, payload), B64D.decode(token.substring(dot + 1)))) {
        return null;
      }
      String[] f = new String(B64D.decode(payload), StandardCharsets.UTF_8).split("~", -1);
      if (f.length != 14 || !f[0].equals("v1")) {
        return null;
      }
      return new PageToken(f[2], Integer.parseInt(f[3]), f[4].charAt(0), Long.parseLong(f[5]), Long.parseLong(f[6]),
          Integer.parseInt(f[7]), Integer.parseInt(f[8]), Integer.parseInt(f[9]), Long.parseLong(f[10]),
          Integer.parseInt(f[11]), f[12], f[13], Long.parseLong(f[1]));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static byte[] mac(byte[] key, String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] full = mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
      byte[] shortMac = new byte[12];
      System.arraycopy(full, 0, shortMac, 0, shortMac.length);
      return shortMac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
