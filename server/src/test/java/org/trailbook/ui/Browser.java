package org.trailbook.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its own chromedriver, given by path so nothing is
 * downloaded. Missing browser or driver fails the test loudly: it is never skipped.
 */
public final class Browser implements AutoCloseable {
  static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
  static final File CHROMIUM = new File("/usr/bin/chromium");
  public final ChromeDriver driver;
  private final Path profile;

  public Browser(int width, int height) {
    assertThat(CHROMEDRIVER.canExecute()).as("chromedriver is needed for the browser tests: apt-get install -y chromium chromium-driver").isTrue();
    assertThat(CHROMIUM.canExecute()).as("chromium is needed for the browser tests: apt-get install -y chromium chromium-driver").isTrue();
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.getPath());
    System.setProperty("SE_AVOID_BROWSER_DOWNLOAD", "true");
    try {
      profile = Files.createTempDirectory("trailbook-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "--lang=en-US");
    // the browser console (levels as java.util.logging ones), for tests that assert the page logged no error
    options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(width, height));
  }

  public Browser() {
    this(1280, 900);
  }

  public void open(String url) {
    driver.get(url);
  }

  /** Waits (up to 15 s) until {@code condition} holds, and returns what it returned. */
  public <T> T waitFor(String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, Duration.ofSeconds(15)).withMessage(what).until(condition);
  }

  /** Waits until the page finished loading its data for the current filters. */
  public void waitIdle() {
    waitFor("the page to finish loading", d -> "idle".equals(d.findElement(By.tagName("body")).getDomAttribute("data-state"))
        && "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
  }

  /**
   * From the next page load on, records every uncaught error, unhandled promise rejection, failed
   * resource load and {@code console.error} of the page in {@code window.__errors}: the script is
   * installed through the DevTools protocol, so it runs before the page's own scripts and is not
   * subject to the page's Content-Security-Policy.
   */
  public void recordErrors() {
    String source = """
        window.__errors = [];
        window.addEventListener('error', (e) => window.__errors.push(e instanceof ErrorEvent
            ? `error: ${e.message} at ${e.filename}:${e.lineno}` : `failed to load a ${e.target?.tagName ?? 'resource'}`), true);
        window.addEventListener('unhandledrejection', (e) => window.__errors.push(`unhandled rejection: ${e.reason?.stack ?? e.reason}`));
        const consoleError = console.error;
        console.error = (...args) => {
          window.__errors.push(`console.error: ${args.join(' ')}`);
          consoleError.apply(console, args);
        };
        """;
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source", source));
  }

  /** What {@link #recordErrors} recorded on the current page (an empty list if nothing). */
  @SuppressWarnings("unchecked")
  public List<String> recordedErrors() {
    Object errors = script("return window.__errors ?? ['window.__errors is missing: recordErrors() was not called before the page loaded']");
    return ((List<Object>) errors).stream().map(String::valueOf).toList();
  }

  /** The browser console's SEVERE entries since the last call (the console log is drained on reading). */
  public List<String> severeConsoleEntries() {
    return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()).map(e -> e.getMessage()).toList();
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  public List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  public String text(String css) {
    return find(css).getText();
  }

  /** The event ids of the table's rows, top to bottom. */
  public List<String> rowIds() {
    return all("#events tbody tr").stream().map(r -> r.getDomAttribute("data-id")).toList();
  }

  public Object script(String js, Object... args) {
    return driver.executeScript(js, args);
  }

  /**
   * Saves a PNG of the window under server/target/screenshots/, so a test run leaves the work tree
   * clean; {@code ./mvnw verify -Dtrailbook.screenshots=docs/images} refreshes the README's pictures.
   */
  public void screenshot(String name) {
    String chosen = System.getProperty("trailbook.screenshots");
    Path dir = chosen == null || chosen.isBlank() ? RepoRoot.path().resolve("server/target/screenshots") : RepoRoot.path().resolve(chosen);
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary profile left behind is harmless
    }
  }

  /** The repository root, found from the module directory the tests run in. */
  static final class RepoRoot {
    static Path path() {
      Path p = Path.of("").toAbsolutePath();
      while (p != null && !Files.exists(p.resolve("mvnw"))) p = p.getParent();
      if (p == null) throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
      return p;
    }
  }
}
