package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
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
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator portal in a real browser (Debian's Chromium, headless), against a real node, Cassandra and
 * the simulator's consent page: sign in with an API key, add a tenant, Activate Backup and Sign in with
 * Microsoft, watch the immediate backup complete on System Status, browse the backed-up users and a
 * snapshot. Runs where {@code /usr/bin/chromedriver} exists ({@code .ci/run} installs it); skipped, with
 * the command to install it, elsewhere.
 */
@EnabledIf(value = HeadlessChromium.INSTALLED, disabledReason = HeadlessChromium.MISSING)
class PortalIT {


  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(20).groups(3).seed(41));

  private static Simulator simulator;
  private static TestNode node;
  private static WebDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void startTheBrowser() {
    simulator = deployment.simulator();
    node = deployment.node();
    // The simulator's certificate is its own; a real Microsoft sign-in page needs no such flag.
    browser = HeadlessChromium.start("--ignore-certificate-errors");
    // Generous: the dashboard is a read model that follows events, and CI machines are slow.
    wait = HeadlessChromium.waitFor(browser, Duration.ofSeconds(120));
  }

  @AfterAll
  static void stopTheBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  private static WebElement visible(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  @Test
  void anOperatorAddsAuthorizesBacksUpAndBrowsesATenant() {
    TenantInfo contoso = simulator.tenants().get(0);
    browser.get("http://127.0.0.1:" + node.port + "/");

    visible(By.id("api-key")).sendKeys("not-a-key");
    browser.findElement(By.cssSelector("form button[type=submit]")).click();
    assertTrue(visible(By.cssSelector("[role=alert]")).getText().contains("not accepted"));
    WebElement key = browser.findElement(By.id("api-key"));
    key.clear();
    key.sendKeys(TestNode.BOOTSTRAP_KEY);
    browser.findElement(By.cssSelector("form button[type=submit]")).click();

    visible(By.id("tenant-name")).sendKeys("Contoso from the portal");
    browser.findElement(By.id("tenant-entra")).sendKeys(contoso.id());
    browser.findElement(By.cssSelector("form.inline button[type=submit]")).click();
    WebElement row = visible(By.cssSelector("tr[data-tenant]"));
    String tenantId = row.getAttribute("data-tenant");
    assertTrue(row.getText().contains("pending authorization"), row.getText());

    row.findElement(By.xpath(".//button[text()='Activate Backup']")).click();
    visible(By.id("immediate-backup"));
    assertTrue(browser.findElement(By.id("immediate-backup")).isSelected(), "immediate backup is the default");
    browser.findElement(By.id("sign-in-with-microsoft")).click();

    // Microsoft's (the simulator's) sign-in, our callback on to its admin consent page, then back through our callback.
    visible(By.cssSelector("a.account")).click();
    visible(By.id("accept")).click();
    wait.until(ExpectedConditions.titleContains("Tenant authorized"));
    browser.findElement(By.linkText("Open the tenant in the entra-backup portal")).click();
    assertTrue(visible(By.cssSelector("p.notice")).getText().contains("authorized"));

    browser.get("http://127.0.0.1:" + node.port + "/portal/#/status/backup");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("jobs"), "completed"));
    WebElement job = browser.findElement(By.cssSelector("tr[data-job]"));
    assertTrue(job.getText().contains("immediate"), job.getText());
    assertTrue(job.getText().contains("20 new") || job.getText().contains("new,"), job.getText());

    browser.get("http://127.0.0.1:" + node.port + "/portal/#/tenants/" + tenantId + "?type=users");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("types"), "users (20)"));
    List<WebElement> users = wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(
        By.cssSelector("#objects tbody tr a"), 19));
    assertEquals(20, users.size());
    users.get(0).click();
    visible(By.xpath("//button[text()='View']")).click();
    String json = visible(By.cssSelector("pre.json")).getText();
    assertTrue(json.contains("\"userPrincipalName\""), json);
    assertTrue(json.contains(contoso.domain()) || json.contains("@"), json);
  }
}
