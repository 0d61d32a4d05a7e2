package io.entrabackup.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** Plain HTTP only on loopback, unless told explicitly; HSTS from its max-age. */
class HttpsSettingsTest {

  @Test
  void plainHttpIsRefusedBeyondLoopbackUnlessTheOverrideIsOn() {
    HttpsSettings plain = settings("");
    assertFalse(plain.enabled());
    assertDoesNotThrow(() -> plain.checkPlainHttpAllowedOn("127.0.0.1"));
    assertDoesNotThrow(() -> plain.checkPlainHttpAllowedOn("localhost"));
    assertDoesNotThrow(() -> plain.checkPlainHttpAllowedOn("::1"));
    var refused = assertThrows(IllegalStateException.class, () -> plain.checkPlainHttpAllowedOn("0.0.0.0"));
    assertTrue(refused.getMessage().contains("plain-http-beyond-loopback"), refused.getMessage());
    assertThrows(IllegalStateException.class, () -> plain.checkPlainHttpAllowedOn("10.0.1.21"));

    assertDoesNotThrow(() -> settings("plain-http-beyond-loopback = on").checkPlainHttpAllowedOn("0.0.0.0"));
    assertDoesNotThrow(() -> settings("enabled = on").checkPlainHttpAllowedOn("0.0.0.0"));
  }

  @Test
  void httpsWithoutAKeyStoreOrWithAWrongOneDoesNotStartAndNamesNoPassword() {
    var missing = assertThrows(IllegalStateException.class, () -> settings("enabled = on").sslContext());
    assertTrue(missing.getMessage().contains("key-store"), missing.getMessage());
    var unreadable = assertThrows(IllegalStateException.class,
        () -> settings("enabled = on\nkey-store = \"/nonexistent.p12\"\nkey-store-password = \"secret-pw-123\"")
            .sslContext());
    assertFalse(unreadable.getMessage().contains("secret-pw-123"), unreadable.getMessage());
    assertFalse(settings("key-store-password = \"secret-pw-123\"").toString().contains("secret-pw-123"));
  }

  @Test
  void theHstsHeaderCarriesTheMaxAgeInSeconds() {
    assertEquals("max-age=31536000", settings("").hstsHeader());
    assertEquals("max-age=600", settings("hsts-max-age = 10m").hstsHeader());
  }

  private static HttpsSettings settings(String tls) {
    return HttpsSettings.create(ConfigFactory.parseString("entra-backup.http.tls {" + tls + "}")
        .withFallback(ConfigFactory.defaultReference()));
  }
}
