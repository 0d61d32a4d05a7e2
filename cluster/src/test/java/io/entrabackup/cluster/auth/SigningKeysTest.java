package io.entrabackup.cluster.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Signing keys named by id: one signs, all verify, a removed or unknown one verifies nothing. */
class SigningKeysTest {

  private static final String OLD = "old-signing-key-0123456789abcdefghijklmn";
  private static final String NEW = "new-signing-key-0123456789abcdefghijklmn";

  @Test
  void aTextSignedWithAnOldKeyVerifiesAfterRotationAndNamesThatKey() {
    SigningKeys before = new SigningKeys("k1", Map.of("k1", OLD));
    String signed = before.sign("consent|tenant-a");
    assertTrue(signed.startsWith("k1."), signed);

    SigningKeys rotated = new SigningKeys("k2", Map.of("k1", OLD, "k2", NEW));
    assertEquals(Optional.of(new SigningKeys.Verified("k1", "consent|tenant-a")), rotated.verify(signed));
    assertTrue(rotated.sign("x").startsWith("k2."));
  }

  @Test
  void aTextSignedWithARemovedKeyNoLongerVerifies() {
    String signed = new SigningKeys("k1", Map.of("k1", OLD)).sign("consent|tenant-a");
    assertEquals(Optional.empty(), new SigningKeys("k2", Map.of("k2", NEW)).verify(signed));
  }

  @Test
  void anAlteredOrUnknownKeyIdFailsLikeABadSignature() {
    SigningKeys keys = new SigningKeys("k2", Map.of("k1", OLD, "k2", NEW));
    String signed = keys.sign("consent|tenant-a");
    String body = signed.substring(signed.indexOf('.'));
    assertEquals(Optional.empty(), keys.verify("k1" + body));
    assertEquals(Optional.empty(), keys.verify("k3" + body));
    assertEquals(Optional.empty(), keys.verify(body.substring(1) + ".extra"));
    assertEquals(Optional.empty(), keys.verify("." + body.substring(1)));
    assertEquals(Optional.empty(), keys.verify(null));
  }

  @Test
  void aTextSignedBeforeKeyIdsVerifiesWithTheDefaultKeyOnly() {
    String legacy = new HmacSigner(OLD).sign("consent|tenant-a");
    assertEquals(Optional.of(new SigningKeys.Verified("default", "consent|tenant-a")),
        new SigningKeys("k2", Map.of("default", OLD, "k2", NEW)).verify(legacy));
    assertEquals(Optional.empty(), new SigningKeys("k2", Map.of("k1", OLD, "k2", NEW)).verify(legacy));
  }

  @Test
  void theSingleSettingIsTheDefaultKeyAndSeveralKeysNeedACurrentOne() {
    var single = SigningKeySettings.read(auth("signing-key = \"" + OLD + "\""), 32).orElseThrow();
    assertEquals("default", single.currentKeyId());

    var rotated = SigningKeySettings.read(auth("signing-key = \"" + OLD + "\"\n"
        + "signing-keys = [{ id = k2, key = \"" + NEW + "\" }]\ncurrent-signing-key = k2"), 32).orElseThrow();
    assertEquals("k2", rotated.currentKeyId());
    assertTrue(rotated.verify(single.sign("a")).isPresent());

    assertEquals(Optional.empty(), SigningKeySettings.read(auth(""), 32));
    assertThrows(ConfigException.class, () -> SigningKeySettings.read(auth("signing-key = \"" + OLD + "\"\n"
        + "signing-keys = [{ id = k2, key = \"" + NEW + "\" }]"), 32));
    assertThrows(ConfigException.class, () -> SigningKeySettings.read(auth(
        "signing-keys = [{ id = k2, key = \"" + NEW + "\" }]\ncurrent-signing-key = k9"), 32));
    assertThrows(ConfigException.class, () -> SigningKeySettings.read(auth(
        "signing-keys = [{ id = \"a.b\", key = \"" + NEW + "\" }]"), 32));
    assertThrows(ConfigException.class, () -> SigningKeySettings.read(auth(
        "signing-keys = [{ id = k2, key = short }]"), 32));
  }

  private static com.typesafe.config.Config auth(String settings) {
    return ConfigFactory.parseString(settings)
        .withFallback(ConfigFactory.parseString("signing-key = \"\"\nsigning-keys = []\ncurrent-signing-key = \"\""));
  }
}
