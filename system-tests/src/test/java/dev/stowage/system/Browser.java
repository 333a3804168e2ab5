// SPDX-License-Identifier: Apache-2.0
package dev.stowage.system;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven by Debian's chromedriver ({@code apt-get install chromium chromium-driver};
 * .ci/run installs them). Nothing is fetched: no Selenium Manager download, a fresh empty profile, and the
 * browser's own background traffic (updates, sync, safe browsing lists) switched off, since this network is closed.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("STOWAGE_TEST_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER =
            Path.of(System.getenv().getOrDefault("STOWAGE_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static Browser start(int width, int height) {
        for (Path program : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(program)) {
                throw new IllegalStateException(program + " is missing: the console's tests need Chromium and its"
                        + " driver (apt-get install -y chromium chromium-driver), as .ci/run installs them.");
            }
        }
        try {
            Path profile = Files.createTempDirectory("stowage-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments(
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--user-data-dir=" + profile,
                    "--window-size=" + width + "," + height);
            // The pages' console messages, to find scripts that failed or anything the policy blocked.
            options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T> T await(Duration within, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, within).until(condition);
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** The messages the pages wrote to the browser's console since the last call. */
    List<String> consoleMessages() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(entry -> entry.getLevel() + " " + entry.getMessage())
                .toList();
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /**
     * Saves the whole page (the window is made as tall as the page for the shot) as
     * {@code target/screenshots/<name>.png}, and returns its path.
     */
    Path screenshot(String name) {
        return screenshot(name, true);
    }

    /** @param wholePage false: what the window shows, as a phone's screen would */
    Path screenshot(String name, boolean wholePage) {
        Dimension size = driver.manage().window().getSize();
        try {
            // Twice: a taller window can change the page's layout (no scroll bar any more) and so its height.
            for (int pass = 0; wholePage && pass < 2; pass++) {
                long height = (Long) script("return Math.min(4000, document.documentElement.scrollHeight"
                        + " + window.outerHeight - window.innerHeight)");
                resize(size.getWidth(), (int) Math.max(height, size.getHeight()));
            }
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Path target = Files.createDirectories(SCREENSHOTS).resolve(name + ".png");
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            resize(size.getWidth(), size.getHeight());
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary profile left behind is harmless
        }
    }
}
