package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The object level end to end: a user whose job title changed and a group that gained a member between two backups.
 * Compare answers exactly those differences (between the two snapshots, and between a snapshot and the directory as
 * Graph shows it now); in the browser, the tenant page's type Download starts a download whose banner links to its
 * job, the object page is titled with the object's name over its snapshot timeline, and Compare shows the changed
 * property and the added member. Screenshots of each step land in {@code target/object-portal-*.png}.
 */
class ObjectPortalIT {

  private static final String KEY = TestDeployment.KEY;
  private static final String NEW_TITLE = "Head of Comparisons";

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(40).groups(24).seed(23))
          .withAuthorizedTenant();

  private static TestNode node;
  private static SimulatorGraph graph;
  private static BackedUpDirectory backups;
  private static String user;
  private static String userName;
  private static String userPrincipalName;
  private static String group;
  private static String newcomer;
  private static String newcomerName;
  private static final Map<String, List<String>> versions = new TreeMap<>();
  private static WebDriver browser;

  /** Two backups with a user's job title changed and a member added to a group between them. */
  @BeforeAll
  static void changeTheDirectoryBetweenTwoBackups() {
    node = deployment.node();
    graph = deployment.graph();
    backups = deployment.backups();
    List<JsonNode> cloudUsers = new ArrayList<>();
    graph.values("/users?$select=id,displayName,userPrincipalName,onPremisesSyncEnabled,userType&$top=999")
        .forEach(candidate -> {
          if (!candidate.path("onPremisesSyncEnabled").asBoolean(false)
              && "Member".equals(candidate.path("userType").asText())
              && !candidate.path("userPrincipalName").asText().startsWith("admin@")) {
            cloudUsers.add(candidate);
          }
        });
    List<String> writableGroups = graph.values(
            "/groups?$select=id,groupTypes,mailEnabled,securityEnabled,onPremisesSyncEnabled&$top=999")
        .stream().filter(candidate -> {
          boolean unified = candidate.path("groupTypes").toString().contains("Unified");
          boolean dynamic = candidate.path("groupTypes").toString().contains("DynamicMembership");
          boolean security = candidate.path("securityEnabled").asBoolean(false)
              && !candidate.path("mailEnabled").asBoolean(false);
          return !dynamic && (unified || security) && !candidate.path("onPremisesSyncEnabled").asBoolean(false);
        }).map(candidate -> candidate.get("id").asText()).toList();
    JsonNode outsider = null;
    for (String candidate : writableGroups) {
      var members = graph.members(candidate);
      var found = cloudUsers.stream().filter(c -> !members.contains(c.get("id").asText())).findFirst();
      if (found.isPresent()) {
        group = candidate;
        outsider = found.get();
        break;
      }
    }
    assertTrue(outsider != null, "a writable group without some cloud user: " + writableGroups);
    newcomer = outsider.get("id").asText();
    newcomerName = outsider.get("displayName").asText();
    JsonNode changed = cloudUsers.stream().filter(c -> !c.get("id").asText().equals(newcomer)).findFirst()
        .orElseThrow();
    user = changed.get("id").asText();
    userName = changed.get("displayName").asText();
    userPrincipalName = changed.get("userPrincipalName").asText();

    backUpNow();
    graph.ok("PATCH", "/users/" + user, "{\"jobTitle\":\"" + NEW_TITLE + "\"}");
    graph.send("POST", "/groups/" + group + "/members/$ref", graph.ref(newcomer));
    backUpNow();
    versions.put("users", versionIds("users", user));
    versions.put("groups", versionIds("groups", group));
    assertEquals(2, versions.get("users").size(), versions.toString());
    assertEquals(2, versions.get("groups").size(), versions.toString());
  }

  @AfterAll
  static void stopTheBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void compareAnswersExactlyWhatChangedBetweenBackupsAndSinceTheLatest() {
    JsonNode users = compare("users", user, older("users"), newer("users"));
    assertEquals(Map.of("jobTitle", "changed"), differing(users), users.toString());
    JsonNode title = row(users, "jobTitle");
    assertEquals(NEW_TITLE, title.get("after").asText());
    assertFalse(NEW_TITLE.equals(title.path("before").asText()), title.toString());
    assertEquals("snapshot", users.get("to").get("kind").asText());
    assertTrue(users.get("relations").isEmpty(), "users have no members: " + users);

    JsonNode groups = compare("groups", group, older("groups"), newer("groups"));
    assertEquals(Map.of(), differing(groups), groups.toString());
    JsonNode members = relation(groups, "members");
    assertEquals(1, members.get("addedCount").asInt(), members.toString());
    assertEquals(0, members.get("removedCount").asInt(), members.toString());
    assertEquals(graph.members(group).size() - 1, members.get("unchanged").asInt(), members.toString());
    assertEquals(newcomer, members.get("added").get(0).get("id").asText());
    assertEquals(newcomerName, members.get("added").get(0).get("displayName").asText(), "named from its backup");
    assertEquals("user", members.get("added").get(0).get("type").asText());

    // Against the directory now: the latest backup is the directory, until someone changes it.
    JsonNode same = compare("users", user, newer("users"), "live");
    assertEquals(Map.of(), differing(same), same.toString());
    assertEquals("live", same.get("to").get("kind").asText());
    assertEquals("live", same.get("to").get("state").asText());
    JsonNode groupNow = compare("groups", group, older("groups"), "live");
    assertEquals(List.of(newcomer), List.of(relation(groupNow, "members").get("added").get(0).get("id").asText()));
    assertEquals(1, relation(groupNow, "members").get("addedCount").asInt(), groupNow.toString());

    graph.ok("PATCH", "/users/" + user, "{\"department\":\"Changed since the backup\"}");
    JsonNode since = compare("users", user, newer("users"), "live");
    assertEquals("Changed since the backup", row(since, "department").get("after").asText(), since.toString());
    assertEquals(1, differing(since).size(), since.toString());

    String unknown = "6a1f2c4e-0f0e-11f1-8000-0000000000ff";
    assertEquals(404, node.send("GET", comparePath("users", user, older("users"), unknown), null, KEY).statusCode());
    assertEquals(404, node.send("GET", comparePath("users", user, unknown, "live"), null, KEY).statusCode());
    assertEquals(400, node.send("GET", comparePath("users", user, older("users"), "latest"), null, KEY).statusCode());
  }

  @Test
  @EnabledIf(value = HeadlessChromium.INSTALLED, disabledReason = HeadlessChromium.MISSING)
  void theTypeDownloadTheObjectPageAndCompareInTheBrowser() throws Exception {
    browser = HeadlessChromium.start();
    // Generous: CI machines (and this one, shared) are slow.
    WebDriverWait wait = HeadlessChromium.waitFor(browser, Duration.ofSeconds(120));
    String base = "http://127.0.0.1:" + node.port;
    browser.get(base + "/");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key"))).sendKeys(KEY);
    browser.findElement(By.cssSelector("form button[type=submit]")).click();
    // Signed in once the dashboard lists the tenant (the key is checked against the API first).
    wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("tr[data-tenant='" + deployment.tenantId() + "']")));

    browser.get(base + "/portal/#/tenants/" + deployment.tenantId() + "?type=groups");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("types"), "groups ("));
    // As of a backup run: the picker offers this tenant's completed backups (two), newest first.
    new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("type-download-when"))))
        .selectByValue("run");
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#type-download-run option:not([value=''])"), 2));
    String run = new Select(browser.findElement(By.id("type-download-run"))).getFirstSelectedOption()
        .getAttribute("value");
    WebElement download = wait.until(ExpectedConditions.elementToBeClickable(By.id("download-type")));
    assertEquals("Download all groups", download.getText());
    download.click();
    WebElement banner = wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("#message [role=status] a")));
    String jobLink = banner.getAttribute("href");
    assertTrue(jobLink.contains("#/status/download?job="), jobLink);
    String jobId = jobLink.substring(jobLink.indexOf("job=") + 4);
    JsonNode job = node.get("/api/v1/jobs/" + jobId, KEY);
    assertEquals("download", job.get("kind").asText(), job.toString());
    assertEquals("type", job.get("download").get("scope").asText(), job.toString());
    assertEquals("groups", job.get("download").get("type").asText(), job.toString());
    assertEquals(run, job.get("download").get("runId").asText(), job.toString());
    screenshot("type-download");

    // Names first: the users' list shows each user's UPN under the name.
    browser.get(base + "/portal/#/tenants/" + deployment.tenantId() + "?type=users&search="
        + java.net.URLEncoder.encode(userName, java.nio.charset.StandardCharsets.UTF_8));
    WebElement listed = wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("#objects tr[data-object='" + user + "'] td:first-child")));
    assertTrue(listed.getText().contains(userName) && listed.getText().contains(userPrincipalName), listed.getText());

    browser.get(base + "/portal/#/tenants/" + deployment.tenantId() + "/objects/users/" + user);
    assertEquals(userName, wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("object-name"))).getText());
    List<WebElement> snapshots = browser.findElements(By.cssSelector("#timeline li[data-version]"));
    assertEquals(versions.get("users"), snapshots.stream().map(li -> li.getAttribute("data-version")).toList());
    browser.findElement(By.id("compare-button")).click();
    WebElement title = wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("#detail tr[data-property='jobTitle']")));
    assertTrue(title.getText().contains("Changed") && title.getText().contains(NEW_TITLE), title.getText());
    assertEquals(1, browser.findElements(By.cssSelector("#compare-properties tbody tr")).size(),
        "only what changed is listed by default");
    screenshot("user-compare");

    browser.get(base + "/portal/#/tenants/" + deployment.tenantId() + "/objects/groups/" + group);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("compare-button"))).click();
    WebElement added = wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("#detail [data-relation='members'] tr[data-member='" + newcomer + "']")));
    assertTrue(added.getText().contains(newcomerName) && added.getText().contains("Added"), added.getText());
    screenshot("group-compare");

    // At phone width the page does not scroll sideways, with the comparison shown.
    browser.manage().window().setSize(new Dimension(390, 900));
    browser.navigate().refresh();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("compare-button"))).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#detail [data-relation='members']")));
    // The page's own content (the shared header is the a11y work's): no element reaches past the viewport.
    Object wider = ((JavascriptExecutor) browser).executeScript(
        "const width = document.documentElement.clientWidth;"
            + "return [...document.querySelectorAll('#view *')].filter((e) => e.getBoundingClientRect().right > width)"
            + ".map((e) => e.tagName + '#' + e.id + '.' + e.className + ' '"
            + " + Math.round(e.getBoundingClientRect().right))"
            + ".join(', ');");
    screenshot("group-compare-390");
    assertEquals("", wider, "elements wider than the 390 px viewport");
  }

  private static JsonNode compare(String type, String id, String from, String to) {
    return node.ok(node.send("GET", comparePath(type, id, from, to), null, KEY), 200);
  }

  private static String comparePath(String type, String id, String from, String to) {
    return "/api/v1/tenants/" + deployment.tenantId() + "/objects/" + type + "/" + id + "/compare?from=" + from
        + "&to=" + to;
  }

  /** The properties that differ, with how. */
  private static Map<String, String> differing(JsonNode comparison) {
    Map<String, String> changes = new TreeMap<>();
    comparison.get("properties").forEach(row -> {
      if (!"unchanged".equals(row.get("change").asText())) {
        changes.put(row.get("name").asText(), row.get("change").asText());
      }
    });
    return changes;
  }

  private static JsonNode row(JsonNode comparison, String name) {
    for (JsonNode row : comparison.get("properties")) {
      if (row.get("name").asText().equals(name)) {
        return row;
      }
    }
    throw new AssertionError("no property " + name + " in " + comparison);
  }

  private static JsonNode relation(JsonNode comparison, String name) {
    for (JsonNode relation : comparison.get("relations")) {
      if (relation.get("relation").asText().equals(name)) {
        return relation;
      }
    }
    throw new AssertionError("no relation " + name + " in " + comparison);
  }

  private static List<String> versionIds(String type, String id) {
    List<String> ids = new ArrayList<>();
    backups.versions(type, id).forEach(version -> ids.add(version.get("versionId").asText()));
    return ids;
  }

  private static String newer(String type) {
    return versions.get(type).get(0);
  }

  private static String older(String type) {
    return versions.get(type).get(1);
  }

  private static void backUpNow() {
    JsonNode job = backups.backUpNow(Duration.ofSeconds(60));
    assertEquals("completed", job.get("state").asText(), job.toString());
  }

  private static void screenshot(String step) throws IOException {
    Path target = Path.of("target", "object-portal-" + step + ".png");
    Files.createDirectories(target.getParent());
    Files.write(target, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }
}
