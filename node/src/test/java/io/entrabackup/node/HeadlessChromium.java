package io.entrabackup.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The headless Chromium the portal's browser tests drive: Debian's {@code chromium} and {@code chromium-driver}, or
 * the binaries named by {@code CHROMIUM} and {@code CHROMEDRIVER}. A test class without them is skipped, saying why:
 * {@code @EnabledIf(value = HeadlessChromium.INSTALLED, disabledReason = HeadlessChromium.MISSING)}.
 */
final class HeadlessChromium {

  static final String INSTALLED = "io.entrabackup.node.HeadlessChromium#installed";
  static final String MISSING =
      "no Chromium here: apt-get install chromium chromium-driver to run the portal's browser tests";

  private static final Path CHROMEDRIVER =
      Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

  private HeadlessChromium() {}

  static boolean installed() {
    return Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
  }

  /** A desktop-sized browser; {@code extraArguments} are added to Chromium's command line. */
  static WebDriver start(String... extraArguments) {
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000")
        .addArguments(extraArguments);
    return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build(), options);
  }

  /** Waits polling every 250 ms: the portal's pages follow read models, which follow events. */
  static WebDriverWait waitFor(WebDriver browser, Duration timeout) {
    return new WebDriverWait(browser, timeout, Duration.ofMillis(250));
  }
}
