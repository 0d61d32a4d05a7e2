package io.entrabackup.node;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The portal as the accessibility test looks at it, whatever the page: a viewport of a given width (a phone's 390 px
 * is emulated as a mobile screen), waiting until the page has drawn, what sticks out sideways, what Deque's axe-core
 * finds against the WCAG 2.0 and 2.1 A and AA rules, and a screenshot under {@code target/portal-a11y/}.
 */
final class PortalViewport {

  /** axe-core's tags for the WCAG 2.0 and 2.1 success criteria of levels A and AA. */
  static final List<String> WCAG_A_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");
  private static final Path SCREENSHOTS = Path.of("target", "portal-a11y");

  private final ChromeDriver browser;

  PortalViewport(WebDriver browser) {
    this.browser = (ChromeDriver) browser;
  }

  /** A viewport {@code width} CSS pixels wide; 390 and less is a phone (mobile: the meta viewport applies). */
  void width(int width) {
    browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width,
        "height", width <= 480 ? 844 : 900, "deviceScaleFactor", 1, "mobile", width <= 480));
  }

  /**
   * Waits until the page has drawn: a heading (or an error) in main, nothing "Loading…", and main unchanged over half a second (a
   * page that follows a read model redraws only when the data changed).
   */
  void awaitDrawn(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      String now = (String) script("const main = document.querySelector('main');"
          + "if (!main || !main.querySelector('h1, [role=alert]') || /Loading…/.test(main.textContent)) return null;"
          + "return main.innerHTML;");
      if (now != null && now.equals(last)) {
        return;
      }
      last = now;
      sleep(500);
    }
    throw new AssertionError("the page did not finish drawing: " + browser.getCurrentUrl());
  }

  /** How much wider than the viewport the document is (0 when the page does not scroll sideways). */
  long sidewaysOverflow() {
    return (Long) script("const root = document.documentElement; return Math.max(0, root.scrollWidth - root.clientWidth);");
  }

  /** The elements that reach past the viewport's right edge, deepest first, for a failure message. */
  @SuppressWarnings("unchecked")
  List<String> widerThanTheViewport() {
    return (List<String>) script("const width = document.documentElement.clientWidth; const found = [];"
        + "for (const element of document.querySelectorAll('body *')) {"
        + "  const box = element.getBoundingClientRect();"
        + "  if (box.width > 0 && (box.right > width + 1 || box.left < -1)"
        + "      && ![...element.children].some((child) => child.getBoundingClientRect().right > width + 1)) {"
        + "    found.push(element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')"
        + "      + (element.className && typeof element.className === 'string' ? '.' + element.className.split(' ').join('.') : '')"
        + "      + ' right=' + Math.round(box.right) + ' \"' + element.textContent.trim().slice(0, 40) + '\"');"
        + "  }"
        + "} return found.slice(0, 10);");
  }

  /** Every WCAG 2.0/2.1 A or AA violation axe-core finds on the page, one line per element. */
  List<String> accessibilityViolations() {
    List<String> found = new ArrayList<>();
    Results results = new AxeBuilder().withTags(WCAG_A_AA).analyze(browser);
    // A checker that did not run finds nothing: it must have run its rules and passed some.
    if (results.isErrored() || results.getPasses().isEmpty()) {
      throw new AssertionError("axe-core did not run on " + browser.getCurrentUrl() + ": " + results.getErrorMessage());
    }
    for (Rule rule : results.getViolations()) {
      for (CheckedNode node : rule.getNodes()) {
        found.add(rule.getId() + " (" + rule.getImpact() + ") at " + node.getTarget() + ": "
            + Objects.toString(node.getFailureSummary(), rule.getHelp()).replace('\n', ' ') + " | " + node.getHtml());
      }
    }
    return found;
  }

  /** Saves what the viewport shows as {@code target/portal-a11y/<name>.png}. */
  void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Object script(String body, Object... arguments) {
    return ((JavascriptExecutor) browser).executeScript(body, arguments);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
