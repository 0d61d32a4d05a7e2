package io.entrabackup.cluster.download;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.cluster.auth.HmacSigner;
import io.entrabackup.cluster.auth.SigningKeys;
import io.entrabackup.protocol.AccountId;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Download links name their signing key, so a key rotation leaves the links in flight working. */
class DownloadLinksTest {

  private static final String OLD = "old-signing-key-0123456789abcdefghijklmn";
  private static final String NEW = "new-signing-key-0123456789abcdefghijklmn";
  private static final AccountId ACCOUNT = new AccountId("msp-a");
  private static final long EXPIRES = Instant.parse("2026-12-13T00:00:00Z").getEpochSecond();

  @Test
  void aLinkSignedWithAnOldKeyVerifiesAfterRotation() {
    String signature = signatureOf(new DownloadLinks(new SigningKeys("k1", Map.of("k1", OLD))).link("job-1",
        ACCOUNT, Instant.ofEpochSecond(EXPIRES)));
    assertTrue(signature.startsWith("k1."), signature);
    DownloadLinks rotated = new DownloadLinks(new SigningKeys("k2", Map.of("k1", OLD, "k2", NEW)));
    assertTrue(rotated.verify("job-1", ACCOUNT, EXPIRES, signature));
    assertFalse(rotated.verify("job-2", ACCOUNT, EXPIRES, signature));
    assertFalse(rotated.verify("job-1", new AccountId("msp-b"), EXPIRES, signature));
    assertFalse(rotated.verify("job-1", ACCOUNT, EXPIRES + 1, signature));
  }

  @Test
  void aLinkOfARetiredKeyThatWasRemovedNoLongerVerifies() {
    String signature = signatureOf(new DownloadLinks(new SigningKeys("k1", Map.of("k1", OLD))).link("job-1",
        ACCOUNT, Instant.ofEpochSecond(EXPIRES)));
    assertFalse(new DownloadLinks(new SigningKeys("k2", Map.of("k2", NEW))).verify("job-1", ACCOUNT, EXPIRES,
        signature));
  }

  @Test
  void aTamperedKeyIdFails() {
    DownloadLinks links = new DownloadLinks(new SigningKeys("k2", Map.of("k1", OLD, "k2", NEW)));
    String signature = signatureOf(links.link("job-1", ACCOUNT, Instant.ofEpochSecond(EXPIRES)));
    String mac = signature.substring(signature.indexOf('.') + 1);
    assertTrue(links.verify("job-1", ACCOUNT, EXPIRES, signature));
    assertFalse(links.verify("job-1", ACCOUNT, EXPIRES, "k1." + mac));
    assertFalse(links.verify("job-1", ACCOUNT, EXPIRES, "k3." + mac));
    assertFalse(links.verify("job-1", ACCOUNT, EXPIRES, mac));
    assertFalse(links.verify("job-1", ACCOUNT, EXPIRES, null));
  }

  @Test
  void aLinkMadeBeforeKeyIdsVerifiesWithTheDefaultKey() {
    String signed = new HmacSigner(OLD).sign("download\njob-1\nmsp-a\n" + EXPIRES);
    String legacy = signed.substring(signed.indexOf('.') + 1);
    assertTrue(new DownloadLinks(new SigningKeys("k2", Map.of("default", OLD, "k2", NEW)))
        .verify("job-1", ACCOUNT, EXPIRES, legacy));
  }

  private static String signatureOf(String link) {
    return link.substring(link.indexOf("&signature=") + "&signature=".length());
  }
}
