package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal's Account tab in a real browser (headless Chromium, real node, Cassandra and simulator): an account's
 * admin key makes a read-only key, sees it listed with its scope, rotates it (the old secret is refused) and revokes
 * it (the new one is refused too), and saves the four-eyes settings, which the API then answers. A key without the
 * admin scope sees the API's refusal instead of the forms.
 */
@EnabledIf(value = HeadlessChromium.INSTALLED, disabledReason = HeadlessChromium.MISSING)
class AccountPortalIT {

  private static final Duration KEY_CACHE = Duration.ofSeconds(45);

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(3).groups(1).seed(47));

  private static TestNode node;
  private static WebDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void startTheBrowser() {
    node = deployment.node();
    browser = HeadlessChromium.start();
    wait = HeadlessChromium.waitFor(browser, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stopTheBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void anAdminKeyMakesRotatesAndRevokesAReadOnlyKeyAndSavesFourEyes() {
    String admin = node.createAccount("portal-keys");
    signIn(admin);
    visible(By.cssSelector("[data-nav=account]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("session"), "portal-keys"));

    visible(By.id("key-name")).sendKeys("wall screen");
    assertTrue(browser.findElement(By.id("scope-read")).isSelected(), "read is what a new key gets unless asked");
    browser.findElement(By.cssSelector("#create-key button[type=submit]")).click();
    ShownSecret created = shownSecret(null);
    String secret = created.secret();
    String keyId = created.keyId();
    assertTrue(browser.findElement(By.id("keys-message")).getText().contains("will not be shown again"));

    JsonNode session = node.get("/api/v1/session", secret);
    assertEquals(keyId, session.get("keyId").asText());
    assertEquals("[\"read\"]", session.get("scopes").toString());
    assertEquals(403, node.send("POST", "/api/v1/tenants", "{\"displayName\":\"x\"}", secret).statusCode());
    By row = By.cssSelector("tr[data-key='" + keyId + "']");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(row, "wall screen"));
    assertEquals("read", browser.findElement(row).findElement(By.cssSelector(".scopes")).getText());

    browser.findElement(row).findElement(By.cssSelector("button.rotate")).click();
    visible(By.id("confirm")).click();
    String rotated = shownSecret(secret).secret();
    assertNotEquals(secret, rotated);
    assertEquals(200, node.send("GET", "/api/v1/tenants", null, rotated).statusCode());
    node.await(KEY_CACHE, () ->
        assertEquals(401, node.send("GET", "/api/v1/tenants", null, secret).statusCode()));

    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-key='" + keyId + "'] button.revoke")))
        .click();
    visible(By.id("confirm")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(row, "revoked"));
    node.await(KEY_CACHE, () ->
        assertEquals(401, node.send("GET", "/api/v1/tenants", null, rotated).statusCode()));

    browser.findElement(By.id("four-eyes-privilegedRestores")).click();
    browser.findElement(By.id("four-eyes-tenantDownloads")).click();
    WebElement window = browser.findElement(By.id("approval-window"));
    window.clear();
    window.sendKeys("0");
    browser.findElement(By.cssSelector("#four-eyes button[type=submit]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#settings-message [role=alert]"),
        "approvalWindow must be between"));
    window.clear();
    window.sendKeys("2");
    browser.findElement(By.cssSelector("#four-eyes button[type=submit]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("settings-message"), "Saved"));

    JsonNode fourEyes = node.get("/api/v1/accounts/portal-keys/settings", admin).get("fourEyes");
    assertEquals(true, fourEyes.get("privilegedRestores").asBoolean(), fourEyes.toString());
    assertEquals(false, fourEyes.get("everyRestore").asBoolean(), fourEyes.toString());
    assertEquals(true, fourEyes.get("tenantDownloads").asBoolean(), fourEyes.toString());
    assertEquals("PT2H", fourEyes.get("approvalWindow").asText());

    browser.navigate().refresh();
    wait.until(ExpectedConditions.attributeToBe(By.id("approval-window"), "value", "2"));
    assertTrue(browser.findElement(By.id("four-eyes-tenantDownloads")).isSelected());
  }

  @Test
  void aKeyWithoutAdminIsToldWhichScopeItLacksInsteadOfGivenForms() {
    String admin = node.createAccount("portal-reader");
    String reader = node.ok(node.send("POST", "/api/v1/accounts/portal-reader/keys",
        "{\"name\":\"dashboard\",\"scopes\":[\"read\"]}", admin), 201).get("key").asText();
    signIn(reader);
    browser.get("http://127.0.0.1:" + node.port + "/portal/#/account");

    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("session-scopes"), "read"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#keys [role=alert]"),
        "lacks the 'admin' scope"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#settings [role=alert]"),
        "lacks the 'admin' scope"));
    assertTrue(browser.findElements(By.id("create-key")).isEmpty(), "no key form for a key that cannot make keys");
    assertTrue(browser.findElements(By.id("four-eyes")).isEmpty(), "no settings form either");
  }

  /** Signs the tab in with {@code key} (the portal keeps it in session storage) on the tenants page. */
  private static void signIn(String key) {
    browser.get("http://127.0.0.1:" + node.port + "/portal/");
    ((JavascriptExecutor) browser).executeScript("sessionStorage.setItem('entra-backup.api-key', arguments[0])", key);
    browser.get("http://127.0.0.1:" + node.port + "/portal/#/tenants");
    browser.navigate().refresh();
  }

  private record ShownSecret(String secret, String keyId) {}

  /**
   * The secret the tab shows once (other than {@code previous}), read in one go: the tab redraws its key list right
   * after, which replaces the element between two separate reads.
   */
  private static ShownSecret shownSecret(String previous) {
    return wait.ignoring(StaleElementReferenceException.class).until(driver -> {
      WebElement shown = driver.findElement(By.id("new-key-secret"));
      String secret = shown.getAttribute("value");
      return secret == null || secret.isEmpty() || secret.equals(previous) ? null
          : new ShownSecret(secret, shown.getAttribute("data-key-id"));
    });
  }

  private static WebElement visible(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }
}
