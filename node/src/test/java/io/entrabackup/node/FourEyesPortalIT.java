package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Four-eyes in the portal (headless Chromium, real node, Cassandra and simulator): a whole-tenant download or a restore
 * the account's rule makes wait shows on System Status as awaiting approval with who asked; the requester's Approve is
 * refused with the server's reason, a second key's Approve lets it run to completion, its Reject closes it unrun. The
 * requests come from a key of their own: the bootstrap key made the approving key, so it could not approve them.
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
  private static String account;
  private static String requester;
  private static String approver;

  @BeforeAll
  static void startTheBrowserAndMakeTwoKeys() {
    node = deployment.node();
    account = node.get("/api/v1/tenants/" + deployment.tenantId(), KEY).get("account").asText();
    requester = key("requester");
    approver = key("approver");
    assertEquals("completed", deployment.backups().backUpNow(Duration.ofSeconds(60)).get("state").asText());
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
    new FourEyesRows(deployment.cassandra()).set(account, false, false, true, "PT24H");
    String job = node.ok(node.send("POST", "/api/v1/tenants/" + deployment.tenantId() + "/downloads",
        "{\"scope\":\"tenant\"}", requester), 202).get("id").asText();

    signIn(requester, "download");
    By row = By.cssSelector("tr[data-job='" + job + "']");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(row, "awaiting approval"));
    assertTrue(browser.findElement(row).getText().contains("Asked for by key"), browser.findElement(row).getText());
    assertTheRequesterCannotApprove(row);

    signIn(approver, "download");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(row, "awaiting approval"));
    browser.findElement(row).findElement(By.xpath(".//button[text()='Approve']")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(row, "Download ZIP"));
    assertTrue(browser.findElement(row).getText().contains("approved by key"), browser.findElement(row).getText());
    assertEquals("completed", node.awaitJob(job, KEY, Duration.ofSeconds(60)).get("state").asText());
  }

  @Test
  void aSecondKeyApprovesOneWaitingRestoreAndRejectsAnotherFromSystemStatus() {
    new FourEyesRows(deployment.cassandra()).set(account, false, true, false, "PT24H");
    String group = node.get("/api/v1/tenants/" + deployment.tenantId() + "/objects/groups?limit=1", KEY)
        .get("items").get(0).get("id").asText();
    String version = deployment.backups().latestVersionId("groups", group);
    String restores = "/api/v1/tenants/" + deployment.tenantId() + "/objects/groups/" + group + "/restores";
    String body = "{\"version\":\"" + version + "\"}";
    String approved = node.ok(node.send("POST", restores, body, requester), 202).get("id").asText();
    String rejected = node.ok(node.send("POST", restores, body, requester), 202).get("id").asText();

    signIn(requester, "restore");
    By approvedRow = By.cssSelector("tr[data-job='" + approved + "']");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(approvedRow, "awaiting approval"));
    assertTheRequesterCannotApprove(approvedRow);

    signIn(approver, "restore");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(approvedRow, "awaiting approval"));
    browser.findElement(approvedRow).findElement(By.xpath(".//button[text()='Approve']")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(approvedRow, "approved by key"));
    assertEquals("completed", node.awaitJob(approved, KEY, Duration.ofSeconds(60)).get("state").asText());

    By rejectedRow = By.cssSelector("tr[data-job='" + rejected + "']");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(rejectedRow, "awaiting approval"));
    browser.findElement(rejectedRow).findElement(By.xpath(".//button[text()='Reject']")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(rejectedRow, "rejected by key"));
    JsonNode closed = node.get("/api/v1/jobs/" + rejected, KEY);
    assertEquals("rejected", closed.get("state").asText(), closed.toString());
    assertEquals(0, closed.get("restore").path("changes").asLong(0), "a rejected restore wrote nothing: " + closed);
  }

  private static String key(String name) {
    return node.ok(node.send("POST", "/api/v1/accounts/" + account + "/keys",
        "{\"name\":\"" + name + "\",\"scopes\":[\"read\",\"operate\",\"restore\"]}", KEY), 201)
        .get("key").asText();
  }

  /** Signs the tab in with {@code key} (the portal keeps it in session storage) and opens System Status's tab. */
  private static void signIn(String key, String kind) {
    browser.get("http://127.0.0.1:" + node.port + "/portal/");
    ((JavascriptExecutor) browser).executeScript("sessionStorage.setItem('entra-backup.api-key', arguments[0])", key);
    browser.get("http://127.0.0.1:" + node.port + "/portal/#/status/" + kind);
    browser.navigate().refresh();
  }

  /** The requesting key's own Approve on the row is refused on the page, naming the second key it needs. */
  private static void assertTheRequesterCannotApprove(By row) {
    browser.findElement(row).findElement(By.xpath(".//button[text()='Approve']")).click();
    WebElement refused = wait.until(ExpectedConditions.visibilityOfNestedElementsLocatedBy(row,
        By.cssSelector("[role=alert]"))).get(0);
    assertTrue(refused.getText().contains("second key"), refused.getText());
  }
}
