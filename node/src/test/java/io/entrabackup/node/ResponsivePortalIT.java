package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every page of the portal, for an operator with a phone, a keyboard or a screen reader (issue 17, item 6): signed in
 * on a deployment with a backed-up tenant, each page (dashboard, tenant, object, System Status's tabs, audit, account)
 * at 1280 and 390 px wide passes Deque's axe-core WCAG 2.0/2.1 A and AA rules, and at 390 px does not scroll sideways
 * and draws its tables as cards; the Tab key reaches the dashboard's Backup Now and Download with a visible focus ring;
 * a dialog keeps the focus; the nav says which page is shown and hands the focus to the page it opens. The checks
 * find pages by their routes and controls by their names, never by a page's own ids, so they hold however a page is
 * drawn. Screenshots: target/portal-a11y/.
 */
@EnabledIf(value = HeadlessChromium.INSTALLED, disabledReason = HeadlessChromium.MISSING)
class ResponsivePortalIT {

  private static final int DESKTOP = 1280;
  private static final int PHONE = 390;

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(8).groups(3).seed(53))
          .withAuthorizedTenant();

  private static WebDriver browser;
  private static WebDriverWait wait;
  private static PortalViewport viewport;
  private static String base;
  /** Route (after #) by page name, in the order an operator meets them. */
  private static final Map<String, String> pages = new LinkedHashMap<>();

  @BeforeAll
  static void aBackedUpTenantASecondKeyAndASignedInBrowser() {
    deployment.backups().backUpNow(Duration.ofSeconds(90));
    String userId = deployment.backups().list("users").get(0).get("id").asText();
    String groupId = deployment.backups().list("groups").get(0).get("id").asText();
    // A key the account page can offer to rotate and revoke (the install administrator's key is configuration's).
    deployment.node().ok(deployment.node().send("POST", "/api/v1/accounts/msp/keys",
        "{\"name\":\"ticketing\",\"scopes\":[\"read\"]}", TestDeployment.KEY), 201);
    String tenant = "/tenants/" + deployment.tenantId();
    pages.put("dashboard", "/tenants");
    pages.put("tenant", tenant);
    pages.put("user", tenant + "/objects/users/" + userId);
    pages.put("group", tenant + "/objects/groups/" + groupId);
    pages.put("status-backup", "/status/backup");
    pages.put("status-download", "/status/download");
    pages.put("status-restore", "/status/restore");
    pages.put("audit", "/audit");
    pages.put("account", "/account");

    browser = HeadlessChromium.start();
    wait = HeadlessChromium.waitFor(browser, Duration.ofSeconds(60));
    viewport = new PortalViewport(browser);
    base = "http://127.0.0.1:" + deployment.node().port + "/portal/";
    viewport.width(DESKTOP);
    browser.get(base);
    visible(By.id("api-key")).sendKeys(TestDeployment.KEY);
    browser.findElement(By.cssSelector("form button[type=submit]")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("nav a[aria-current=page]")));
  }

  @AfterAll
  static void stopTheBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void everyPageFitsAPhoneAndPassesTheWcagRulesOfAxeCore() {
    // The checker sees what it should: a field without a name, slipped into the dashboard, is a violation.
    viewport.width(DESKTOP);
    open(pages.get("dashboard"));
    viewport.script("document.querySelector('main').append(Object.assign(document.createElement('input'),"
        + " { id: 'nameless-field' }));");
    assertTrue(viewport.accessibilityViolations().stream().anyMatch(v -> v.startsWith("label ")
        && v.contains("nameless-field")), "axe-core missed a field without a label");
    viewport.script("document.getElementById('nameless-field').remove();");

    List<String> problems = new ArrayList<>();
    for (int width : List.of(DESKTOP, PHONE)) {
      viewport.width(width);
      for (var page : pages.entrySet()) {
        open(page.getValue());
        String where = page.getKey() + " at " + width + " px";
        viewport.screenshot(page.getKey() + "-" + width);
        if (width == PHONE && viewport.sidewaysOverflow() > 0) {
          problems.add(where + ": scrolls sideways by " + viewport.sidewaysOverflow() + " px; too wide: "
              + viewport.widerThanTheViewport());
        }
        viewport.accessibilityViolations().forEach(violation -> problems.add(where + ": " + violation));
      }
    }
    assertTrue(problems.isEmpty(), problems.size() + " problems:\n" + String.join("\n", problems));
  }

  @Test
  void atPhoneWidthTheHeaderWrapsAndTablesReadAsLabelledCards() {
    viewport.width(PHONE);
    open(pages.get("status-backup"));
    WebElement cell = visible(By.cssSelector("main tbody td[data-label]"));
    String heading = cell.getAttribute("data-label");
    // The heading the cell sits under, shown before its value, in a row drawn as a block (a card), not a table row.
    assertEquals("\"" + heading + ": \"", viewport.script(
        "return getComputedStyle(arguments[0], '::before').content;", cell));
    assertEquals("block", viewport.script("return getComputedStyle(arguments[0].closest('tr')).display;", cell));
    assertEquals(0L, viewport.sidewaysOverflow(), () -> "too wide: " + viewport.widerThanTheViewport());
    for (WebElement link : browser.findElements(By.cssSelector("header a, header button"))) {
      if (link.isDisplayed()) {
        assertTrue(((Number) viewport.script("return arguments[0].getBoundingClientRect().right;", link)).doubleValue()
            <= PHONE, link.getText() + " is off screen");
      }
    }
    viewport.screenshot("cards-" + PHONE);
    // dom.js table() labels the cells of a row appended later (a "More" page) too; '' heads a column of actions.
    assertEquals(List.of("Name", "Size", ""), ((JavascriptExecutor) browser).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
        + "import('/portal/assets/dom.js').then(async ({ h, table }) => {"
        + "  const row = () => h('tr', {}, h('td', {}, 'a'), h('td', {}, '1'), h('td', {}, h('button', {}, 'Go')));"
        + "  const drawn = table(['Name', h('span', {}, 'Size'), ''], [row()], 'none');"
        + "  drawn.tBodies[0].append(row());"
        + "  await new Promise((resolve) => setTimeout(resolve, 0));"
        + "  done([...drawn.tBodies[0].rows[1].cells].map((cell) => cell.dataset.label ?? ''));"
        + "});"));

    viewport.width(DESKTOP);
    open(pages.get("status-backup"));
    assertEquals("table-row", viewport.script(
        "return getComputedStyle(document.querySelector('main tbody tr')).display;"));
  }

  @Test
  void theKeyboardReachesBackupNowAndDownloadOnTheDashboardWithAVisibleFocusRing() {
    viewport.width(DESKTOP);
    open(pages.get("dashboard"));
    // A fresh document: the keyboard starts at its top.
    browser.navigate().refresh();
    viewport.awaitDrawn(Duration.ofSeconds(60));

    // The first Tab lands on the skip link, which shows itself and moves the focus to the page's content.
    tab();
    WebElement skip = focused();
    assertEquals("Skip to main content", skip.getText());
    assertTrue(skip.isDisplayed());
    skip.sendKeys(Keys.ENTER);
    assertEquals("main", focused().getTagName());

    WebElement backupNow = tabTo("Backup Now", 80);
    assertTrue(isVisibleWithAFocusRing(backupNow), "Backup Now has no visible focus ring");
    viewport.screenshot("focus-backup-now");
    WebElement download = tabTo("Download", 20);
    assertTrue(isVisibleWithAFocusRing(download), "Download has no visible focus ring");
    viewport.screenshot("focus-download");

    // Operable from the keyboard: Shift+Tab back to Backup Now and Enter starts a backup, and the page says so in a
    // status message a screen reader announces (WCAG 4.1.3; dom.js jobBanner is one) or a dialog that asks first.
    int backups = backupJobs();
    WebElement back = shiftTabTo("Backup Now", 20);
    back.sendKeys(Keys.ENTER);
    wait.until(ignored -> !browser.findElements(By.cssSelector("dialog[open]")).isEmpty() || backupJobs() > backups);
    wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("main [role=status], main [role=alert], dialog[open]")));
  }

  @Test
  void aDialogKeepsTheFocusAndGivesItBackWhenItCloses() {
    viewport.width(DESKTOP);
    open(pages.get("account"));
    WebElement revoke = visible(By.xpath("//main//button[normalize-space()='Revoke']"));
    revoke.click();
    WebElement dialog = visible(By.cssSelector("dialog[open]"));
    for (int i = 0; i < 6; i++) {
      assertTrue((Boolean) viewport.script("const active = document.activeElement;"
          + "return active === document.body || arguments[0].contains(active);", dialog),
          "the focus left the dialog for " + focused().getText());
      tab();
    }
    new Actions(browser).sendKeys(Keys.ESCAPE).perform();
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog[open]"), 0));
    assertEquals("Revoke", focused().getText());
  }

  @Test
  void theNavMarksTheCurrentPageForAssistiveTechnology() {
    viewport.width(DESKTOP);
    // A fixed order that ends away from Audit: the click below must open another page. (Map.of's order
    // changes from one JVM to the next, and a click on the current page's own link navigates nowhere.)
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("audit", "Audit");
    expected.put("dashboard", "Tenants");
    expected.put("user", "Tenants");
    expected.put("status-download", "System Status");
    expected.put("account", "Account");
    for (var page : expected.entrySet()) {
      open(pages.get(page.getKey()));
      List<WebElement> current = browser.findElements(By.cssSelector("#nav [aria-current=page]"));
      assertEquals(1, current.size(), page.getKey());
      assertEquals(page.getValue(), current.get(0).getText(), page.getKey());
      assertTrue(browser.getTitle().startsWith(page.getValue()), browser.getTitle());
    }
    // A nav link hands the focus to the heading of the page it opened, where a screen reader starts reading.
    browser.findElement(By.linkText("Audit")).click();
    wait.until(ignored -> "h1".equals(focused().getTagName()) && "Audit".equals(focused().getText()));
  }

  private static int backupJobs() {
    return deployment.node().get("/api/v1/jobs?kind=backup&limit=100", TestDeployment.KEY).get("items").size();
  }

  private static void open(String route) {
    browser.get(base + "#" + route);
    viewport.awaitDrawn(Duration.ofSeconds(60));
  }

  private static void tab() {
    new Actions(browser).sendKeys(Keys.TAB).perform();
  }

  private static WebElement focused() {
    return browser.switchTo().activeElement();
  }

  /** Presses Tab until the focused control is named {@code name} (its text or aria-label starts with it). */
  private static WebElement tabTo(String name, int maxPresses) {
    return walkTo(name, maxPresses, false);
  }

  private static WebElement shiftTabTo(String name, int maxPresses) {
    return walkTo(name, maxPresses, true);
  }

  private static WebElement walkTo(String name, int maxPresses, boolean backwards) {
    List<String> passed = new ArrayList<>();
    for (int i = 0; i < maxPresses; i++) {
      if (backwards) {
        new Actions(browser).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
      } else {
        tab();
      }
      WebElement active = focused();
      String label = String.valueOf(viewport.script("const element = arguments[0];"
          + "return (element.getAttribute('aria-label') || element.textContent || '').trim();", active));
      if (label.startsWith(name)) {
        return active;
      }
      passed.add(active.getTagName() + " \"" + label + "\"");
    }
    throw new AssertionError(name + " was not reached by the keyboard; focus went through " + passed);
  }

  /** Shown (not transparent or hidden) and drawn with a focus ring: an outline or a box-shadow at least 2 px wide. */
  private static boolean isVisibleWithAFocusRing(WebElement element) {
    return (Boolean) viewport.script("const element = arguments[0]; const style = getComputedStyle(element);"
        + "const shown = element.checkVisibility({ opacityProperty: true, visibilityProperty: true });"
        + "const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)"
        + "  || (style.boxShadow && style.boxShadow !== 'none');"
        + "return shown && ring && element.matches(':focus-visible');", element);
  }

  private static WebElement visible(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }
}
