package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.simulator.SimulatorConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Four-eyes in the portal (headless Chromium, real node, Cassandra and simulator): a whole-tenant download the
 * account's rule makes wait shows on System Status as awaiting approval with who asked; the requester's Approve is
 * refused with the server's reason, a second key's Approve lets it build to completion.
 */
@EnabledIf(value = HeadlessChromium.INSTALLED, disabledReason = HeadlessChromium.MISSING)
class FourEyesPortalIT {

  private static final String KEY = TestDeployment.KEY;

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(10).groups(3).seed(43))
          .withAuthorizedTenant();

  private static TestNode node;
  private static WebDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void startTheBrowser() {
    node = deployment.node();
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
  void aSecondKeyApprovesAWaitingDownloadFromSystemStatus() {
    String account = node.get("/api/v1/tenants/" + deployment.tenantId(), KEY).get("account").asText();
    node.ok(node.send("PUT", "/api/v1/accounts/" + account + "/settings",
        "{\"fourEyes\":{\"tenantDownloads\":true}}", KEY), 200);
    String approver = node.ok(node.send("POST", "/api/v1/accounts/" + account + "/keys",
        "{\"name\":\"approver\",\"scopes\":[\"read\",\"operate\",\"restore\"]}",
        KEY), 201).get("key").asText();
    assertEquals("completed", deployment.backups().backUpNow(Duration.ofSeconds(60)).get("state").asText());
    String job = node.ok(node.send("POST", "/api/v1/tenants/" + deployment.tenantId() + "/downloads",
        "{\"scope\":\"tenant\"}", KEY), 202).get("id").asText();

    signIn(KEY);
    By row = By.cssSelector("tr[data-job='" + job + "']");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(row, "awaiting approval"));
    assertTrue(browser.findElement(row).getText().contains("Asked for by key"), browser.findElement(row).getText());
    browser.findElement(row).findElement(By.xpath(".//button[text()='Approve']")).click();
    WebElement refused = wait.until(ExpectedConditions.visibilityOfNestedElementsLocatedBy(row,
        By.cssSelector("[role=alert]"))).get(0);
    assertTrue(refused.getText().contains("second key"), refused.getText());

    signIn(approver);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(row, "awaiting approval"));
    browser.findElement(row).findElement(By.xpath(".//button[text()='Approve']")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(row, "Download ZIP"));
    assertTrue(browser.findElement(row).getText().contains("approved by key"), browser.findElement(row).getText());
    assertEquals("completed", node.awaitJob(job, KEY, Duration.ofSeconds(60)).get("state").asText());
  }

  /** Signs the tab in with {@code key} (the portal keeps it in session storage) and opens the downloads tab. */
  private static void signIn(String key) {
    browser.get("http://127.0.0.1:" + node.port + "/portal/");
    ((JavascriptExecutor) browser).executeScript("sessionStorage.setItem('entra-backup.api-key', arguments[0])", key);
    browser.get("http://127.0.0.1:" + node.port + "/portal/#/status/download");
    browser.navigate().refresh();
  }
}
