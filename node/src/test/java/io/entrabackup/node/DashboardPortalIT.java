package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard for many tenants, in a real browser: 58 tenants (one backed up, one whose consent was refused, one
 * more naming a domain, 55 pending) paged 50 at a time; the summary line; search, the needs-attention filter and
 * sorting; actions revealed by hover and by keyboard focus; Backup Now and a tenant download as of a time, each with
 * a banner linking to its job; a second registration of a directory refused naming the tenant that has it; at
 * 390 px the page fits the screen and the actions are reachable; and a tenant's Delete asks, naming it, then says when
 * it will be deleted, and Undo keeps it. A screenshot per step lands under target/.
 */
@EnabledIf(value = HeadlessChromium.INSTALLED, disabledReason = HeadlessChromium.MISSING)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardPortalIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(2).users(4).groups(1).seed(47))
          .withAuthorizedTenant();

  private static final int PENDING = 55;
  private static final String KEY = TestDeployment.KEY;
  private static final List<String> names = new ArrayList<>();
  private static String refusedId;
  private static String firstPendingId;
  private static WebDriver browser;
  private static WebDriverWait wait;

  @BeforeAll
  static void manyTenantsAndABrowser() throws Exception {
    TestNode node = deployment.node();
    deployment.backups().backUpNow(Duration.ofSeconds(90));
    names.add(deployment.tenant().displayName());
    TenantInfo fabrikam = deployment.simulator().tenants().get(1);
    refusedId = register("Refused Fabrikam", fabrikam.id());
    String callback = new AdminBrowser(deployment.simulator())
        .decides(node.consentUrl(KEY, refusedId, false), "refuse");
    node.send("GET", callback, null, null);
    register("Twin A", "twin.example");
    for (int i = 1; i <= PENDING; i++) {
      String id = register(String.format(Locale.ROOT, "Pending %02d", i), null);
      firstPendingId = i == 1 ? id : firstPendingId;
    }
    browser = HeadlessChromium.start();
    wait = HeadlessChromium.waitFor(browser, Duration.ofSeconds(60));
    browser.manage().window().setSize(new Dimension(1280, 900));
  }

  private static String register(String name, String entraTenant) {
    names.add(name);
    String body = entraTenant == null ? "{\"displayName\":\"" + name + "\"}"
        : "{\"displayName\":\"" + name + "\",\"entraTenant\":\"" + entraTenant + "\"}";
    return deployment.node().ok(deployment.node().send("POST", "/api/v1/tenants", body, KEY), 201).get("id").asText();
  }

  @AfterAll
  static void stopTheBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  @Order(1)
  void theSummaryCountsTheAccountAndTheListPagesFiftyAtATime() {
    browser.get("http://127.0.0.1:" + deployment.node().port + "/");
    visible(By.id("api-key")).sendKeys(KEY);
    browser.findElement(By.cssSelector("form button[type=submit]")).click();

    wait.until(ExpectedConditions.textToBe(By.id("tenant-summary"),
        "58 tenants · 1 needs attention · 0 backups running"));
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-tenant]"), 50));
    assertEquals(sortedNames().subList(0, 3), shownNames().subList(0, 3), "by name, A to Z, by default");
    screenshot("dashboard-first-page");

    browser.findElement(By.id("tenants-next")).click();
    wait.until(ExpectedConditions.textToBe(By.id("tenants-position"), "51–58 of 58"));
    assertEquals(8, rows().size());
    assertEquals(sortedNames().subList(50, 58), shownNames());
    assertTrue(!browser.findElement(By.id("tenants-next")).isEnabled(), "the last page has no Next");
    browser.findElement(By.id("tenants-previous")).click();
    wait.until(ExpectedConditions.textToBe(By.id("tenants-position"), "1–50 of 58"));
  }

  @Test
  @Order(2)
  void searchFilterAndSortNarrowAndOrderTheList() {
    visible(By.id("tenant-search")).sendKeys("FABRIKAM");
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-tenant]"), 1));
    assertEquals(List.of("Refused Fabrikam"), shownNames());
    screenshot("dashboard-search");
    browser.findElement(By.id("tenant-search")).clear();
    browser.findElement(By.id("tenant-search")).sendKeys(" ");
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-tenant]"), 50));

    new Select(browser.findElement(By.id("tenant-status"))).selectByValue("needs_attention");
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-tenant]"), 1));
    WebElement refused = browser.findElement(By.cssSelector("tr[data-tenant='" + refusedId + "']"));
    assertTrue(refused.getText().contains("authorization refused"), refused.getText());
    screenshot("dashboard-needs-attention");
    new Select(browser.findElement(By.id("tenant-status"))).selectByValue("");

    new Select(browser.findElement(By.id("tenant-sort"))).selectByValue("name:desc");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-tenant] .tenant-name"),
        "Twin A"));
    List<String> reversed = new ArrayList<>(sortedNames());
    Collections.reverse(reversed);
    assertEquals(reversed.subList(0, 50), shownNames());

    new Select(browser.findElement(By.id("tenant-sort"))).selectByValue("status:asc");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-tenant] .tenant-name"),
        "Refused Fabrikam"));
    new Select(browser.findElement(By.id("tenant-sort"))).selectByValue("name:asc");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-tenant] .tenant-name"),
        sortedNames().get(0)));
  }

  @Test
  @Order(3)
  void actionsShowOnHoverAndOnKeyboardFocusAndBackupNowLinksToItsJob() {
    String tenantId = deployment.tenantId();
    By row = By.cssSelector("tr[data-tenant='" + tenantId + "']");
    By actions = By.cssSelector("tr[data-tenant='" + tenantId + "'] .row-actions");
    By otherActions = By.cssSelector("tr[data-tenant='" + firstPendingId + "'] .row-actions");
    new Actions(browser).moveToElement(browser.findElement(By.tagName("h1"))).perform();
    wait.until(driver -> "0".equals(driver.findElement(actions).getCssValue("opacity")));

    new Actions(browser).moveToElement(browser.findElement(row)).perform();
    wait.until(driver -> "1".equals(driver.findElement(actions).getCssValue("opacity")));
    new Actions(browser).moveToElement(browser.findElement(By.tagName("h1"))).perform();
    wait.until(driver -> "0".equals(driver.findElement(otherActions).getCssValue("opacity")));
    // Keyboard: Tab from the row's name link reaches its copy button, then its actions, which then show.
    ((JavascriptExecutor) browser).executeScript("arguments[0].focus();",
        browser.findElement(By.cssSelector("tr[data-tenant='" + firstPendingId + "'] a.tenant-name")));
    WebElement focused = browser.switchTo().activeElement();
    for (int i = 0; i < 3 && !"Activate Backup".equals(focused.getText()); i++) {
      new Actions(browser).sendKeys(Keys.TAB).perform();
      focused = browser.switchTo().activeElement();
    }
    assertEquals("Activate Backup", focused.getText(), "Tab reaches the row's actions");
    wait.until(driver -> "1".equals(driver.findElement(otherActions).getCssValue("opacity")));
    screenshot("dashboard-keyboard-focus");

    new Actions(browser).moveToElement(browser.findElement(row)).perform();
    browser.findElement(row).findElement(By.xpath(".//button[text()='Backup Now']")).click();
    WebElement link = visible(By.cssSelector("#message [role=status] a"));
    String jobId = link.getAttribute("href").replaceFirst(".*#/status/backup\\?job=", "");
    assertEquals(200, deployment.node().send("GET", "/api/v1/jobs/" + jobId, null, KEY).statusCode(), jobId);
    screenshot("dashboard-backup-now");
    deployment.backups().awaitJob(jobId, Duration.ofSeconds(90));
  }

  @Test
  @Order(4)
  void aTenantDownloadAsOfATimeStartsAJobLinkedFromTheBanner() {
    Instant asOf = Instant.now().minusSeconds(1);
    By row = By.cssSelector("tr[data-tenant='" + deployment.tenantId() + "']");
    new Actions(browser).moveToElement(browser.findElement(row)).perform();
    browser.findElement(row).findElement(By.xpath(".//button[text()='Download']")).click();
    new Select(visible(By.id("download-when"))).selectByValue("run");
    wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(
        By.cssSelector("#download-run option:not([value=''])"), 0));
    new Select(visible(By.id("download-when"))).selectByValue("date");
    // A datetime-local field takes its value in the browser's local time.
    ((JavascriptExecutor) browser).executeScript("const at = new Date(arguments[0]);"
        + " at.setMinutes(at.getMinutes() - at.getTimezoneOffset());"
        + " document.getElementById('download-as-of').value = at.toISOString().slice(0, 19);", asOf.toString());
    screenshot("dashboard-download-dialog");
    browser.findElement(By.id("start-download")).click();

    WebElement link = wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("#message [role=status] a[href*='#/status/download?job=']")));
    String jobId = link.getAttribute("href").replaceFirst(".*job=", "");
    JsonNode job = deployment.node().get("/api/v1/jobs/" + jobId, KEY);
    assertEquals("tenant", job.get("download").get("scope").asText(), job.toString());
    assertEquals(asOf.getEpochSecond(), Instant.parse(job.get("download").get("asOf").asText()).getEpochSecond(),
        job.toString());
  }

  @Test
  @Order(5)
  void aDirectoryRegisteredAgainIsRefusedNamingTheTenantThatHasIt() {
    visible(By.id("tenant-name")).sendKeys("Twin B");
    browser.findElement(By.id("tenant-entra")).sendKeys("TWIN.example");
    browser.findElement(By.cssSelector("form.inline button[type=submit]")).click();
    String refusal = visible(By.cssSelector("#message [role=alert]")).getText();
    assertTrue(refusal.contains("already registered in your account as tenant 'Twin A'"), refusal);
  }

  @Test
  @Order(6)
  void atPhoneWidthThePageFitsAndTheActionsAreReachable() {
    browser.manage().window().setSize(new Dimension(390, 844));
    browser.navigate().refresh();
    By row = By.cssSelector("tr[data-tenant='" + deployment.tenantId() + "']");
    visible(row);
    Object tooWide = ((JavascriptExecutor) browser).executeScript("const width ="
        + " document.documentElement.clientWidth; return Array.from(document.querySelectorAll('#view *'))"
        + ".filter(e => e.getBoundingClientRect().right > width + 0.5)"
        + ".map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + e.getBoundingClientRect().right).join(', ');");
    screenshot("dashboard-390px");
    assertEquals("", tooWide, "no element of the dashboard reaches beyond the screen's width");
    WebElement backupNow = browser.findElement(row).findElement(By.xpath(".//button[text()='Backup Now']"));
    ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'});", backupNow);
    assertEquals("1", backupNow.findElement(By.xpath("..")).getCssValue("opacity"), "always shown on a phone");
    backupNow.click();
    visible(By.cssSelector("#message [role=status] a[href*='#/status/backup?job=']"));
  }

  @Test
  @Order(7)
  void deletingATenantAsksNamingItSaysWhenAndUndoKeepsIt() {
    browser.manage().window().setSize(new Dimension(1280, 900));
    browser.get("http://127.0.0.1:" + deployment.node().port + "/#/tenants/" + firstPendingId);
    visible(By.cssSelector("button.delete-tenant")).click();
    WebElement dialog = visible(By.cssSelector("dialog[open]"));
    assertTrue(dialog.getText().contains("Delete Pending 01?"), dialog.getText());
    dialog.findElement(By.id("confirm-delete")).click();

    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#message [role=status]"),
        "Pending 01 will be deleted at"));
    String note = visible(By.cssSelector(".deletion-note")).getText();
    assertTrue(note.startsWith("Deletion scheduled at"), note);
    JsonNode scheduled = deployment.node().get("/api/v1/tenants/" + firstPendingId, KEY);
    assertTrue(scheduled.hasNonNull("deletionScheduledFor"), scheduled.toString());
    screenshot("tenant-deletion-scheduled");

    visible(By.cssSelector("button.undo-deletion")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#message [role=status]"), "is kept"));
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".deletion-note"), 0));
    JsonNode kept = deployment.node().get("/api/v1/tenants/" + firstPendingId, KEY);
    assertTrue(kept.path("deletionScheduledFor").isMissingNode() || kept.path("deletionScheduledFor").isNull(),
        kept.toString());
  }

  private static List<String> sortedNames() {
    return names.stream().sorted(Comparator.comparing(name -> name.toLowerCase(Locale.ROOT))).toList();
  }

  private static List<WebElement> rows() {
    return browser.findElements(By.cssSelector("tr[data-tenant]"));
  }

  private static List<String> shownNames() {
    return browser.findElements(By.cssSelector("tr[data-tenant] .tenant-name")).stream()
        .map(WebElement::getText).toList();
  }

  private static WebElement visible(By locator) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(locator));
  }

  private static void screenshot(String step) {
    try {
      Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
      Files.createDirectories(Path.of("target", "screenshots"));
      Files.copy(shot, Path.of("target", "screenshots", step + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (Exception e) {
      System.out.println("No screenshot of " + step + ": " + e.getMessage());
    }
  }
}
