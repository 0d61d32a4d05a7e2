package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal's Audit tab in a real browser (headless Chromium, as {@link PortalIT}): an account's records are listed
 * with key, address, action, target and outcome, filtered by action, and the chain is verified from the page. A
 * tenant's display name with markup stays text (the portal builds its DOM from text only).
 */
@EnabledIf(value = HeadlessChromium.INSTALLED, disabledReason = HeadlessChromium.MISSING)
class AuditPortalIT {


  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(5).groups(1).seed(43));

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
  void theAuditTabListsFiltersAndVerifiesTheAccountsTrail() {
    String key = node.createAccount("portal-audit");
    String tenant = node.ok(node.send("POST", "/api/v1/tenants",
        "{\"displayName\":\"<img src=x onerror=alert(1)>\"}", key), 201).get("id").asText();
    assertEquals(409, node.send("POST", "/api/v1/tenants/" + tenant + "/backups", null, key).statusCode());

    signIn(key);

    // The tenant is shown by its name (as text: markup stays text), which the page asks for after drawing the trail.
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit"), "tenant: <img src=x onerror"));
    String trail = browser.findElement(By.id("audit")).getText();
    for (String shown : List.of("account.created", "key.used-from-new-address", "tenant.registered", "127.0.0.1",
        "refused 409", "backup.requested", "tenant: <img src=x onerror=alert(1)>")) {
      assertTrue(trail.contains(shown), shown + " in " + trail);
    }

    new Select(browser.findElement(By.id("audit-action"))).selectByValue("tenant.registered");
    browser.findElement(By.cssSelector("form.filters button[type=submit]")).click();
    wait.until(ExpectedConditions.not(ExpectedConditions.textToBePresentInElementLocated(By.id("audit"),
        "backup.requested")));
    List<WebElement> rows = wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#audit tbody tr"), 1));
    assertTrue(rows.get(0).getText().contains("tenant.registered"), rows.get(0).getText());

    browser.findElement(By.xpath("//button[text()='Verify the chain']")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-chain"), "intact"));
  }

  @Test
  void theInstallAdministratorAlsoReadsTheInstallsTrailAnAccountKeyIsNotOfferedIt() {
    for (int i = 0; i < 25; i++) {
      assertEquals(401, node.send("GET", "/api/v1/tenants", null, "eb_wrong_portal_" + i).statusCode());
    }

    signIn(TestNode.BOOTSTRAP_KEY);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#audit table, #audit .empty")));
    List<WebElement> trails = browser.findElements(By.linkText("The install's trail"));
    assertEquals(1, trails.size(), browser.findElement(By.tagName("main")).getText());
    trails.get(0).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit"), "auth.failed-burst"));
    String trail = browser.findElement(By.id("audit")).getText();
    assertTrue(trail.contains("127.0.0.1") && trail.contains("401"), trail);
    assertTrue(browser.findElement(By.tagName("h1")).getText().contains("install"));
    // The filter keeps to the install's trail.
    new Select(browser.findElement(By.id("audit-action"))).selectByValue("auth.failed-burst");
    browser.findElement(By.cssSelector("form.filters button[type=submit]")).click();
    wait.until(ExpectedConditions.urlContains("action=auth.failed-burst"));
    assertTrue(browser.getCurrentUrl().contains("trail=install"), browser.getCurrentUrl());
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit"), "auth.failed-burst"));

    String key = node.createAccount("portal-audit-plain");
    signIn(key);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#audit table, #audit .empty")));
    assertTrue(browser.findElements(By.id("audit-trails")).isEmpty(), "an account's key is not offered the install's trail");
    assertEquals(403, node.send("GET", "/api/v1/audit?trail=install", null, key).statusCode());
  }

  private static void signIn(String key) {
    browser.manage().deleteAllCookies();
    browser.get("http://127.0.0.1:" + node.port + "/");
    ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
    browser.get("http://127.0.0.1:" + node.port + "/");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key"))).sendKeys(key);
    browser.findElement(By.cssSelector("form button[type=submit]")).click();
    // Signed in once the tenants page is drawn; a click before that would be overtaken by its route.
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tenant-summary")));
    browser.findElement(By.cssSelector("[data-nav=audit]")).click();
  }
}
