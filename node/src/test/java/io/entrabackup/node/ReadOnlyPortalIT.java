package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.simulator.SimulatorConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal with a read-only key, in a real browser: it signs in and browses tenants, backed-up objects and System
 * Status; a button its key may not use shows the 403 problem's words instead of doing anything. Runs where Chromium
 * and chromedriver are installed, as {@link PortalIT}.
 */
@EnabledIf(value = HeadlessChromium.INSTALLED, disabledReason = HeadlessChromium.MISSING)
class ReadOnlyPortalIT {


  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(6).groups(2).seed(43))
          .withAuthorizedTenant();

  private static String readKey;
  private static WebDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void aBackupAReadOnlyKeyAndABrowser() {
    deployment.backups().backUpNow(Duration.ofSeconds(60));
    readKey = deployment.node().ok(deployment.node().send("POST", "/api/v1/accounts/msp/keys",
        "{\"name\":\"wall screen\",\"scopes\":[\"read\"]}", TestDeployment.KEY), 201).get("key").asText();
    browser = HeadlessChromium.start();
    wait = HeadlessChromium.waitFor(browser, Duration.ofSeconds(120));
  }

  @AfterAll
  static void stopTheBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void aReadOnlyKeyBrowsesThePortalAndItsButtonsSayWhichScopeIsMissing() {
    String base = "http://127.0.0.1:" + deployment.node().port;
    browser.get(base + "/");
    visible(By.id("api-key")).sendKeys(readKey);
    browser.findElement(By.cssSelector("form button[type=submit]")).click();

    WebElement row = visible(By.cssSelector("tr[data-tenant='" + deployment.tenantId() + "']"));
    assertTrue(row.getText().contains("authorized"), row.getText());

    visible(By.id("tenant-name")).sendKeys("Not with this key");
    browser.findElement(By.cssSelector("form.inline button[type=submit]")).click();
    String refusal = visible(By.cssSelector("[role=alert]")).getText();
    assertTrue(refusal.contains("lacks the 'admin' scope"), refusal);

    browser.get(base + "/portal/#/tenants/" + deployment.tenantId() + "?type=users");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("types"), "users (6)"));
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#objects tbody tr a"), 6));

    browser.get(base + "/portal/#/status/backup");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("jobs"), "completed"));
  }

  private static WebElement visible(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }
}
