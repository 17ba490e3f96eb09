package io.github.cachelayer.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The live page in a real headless Chromium (Debian's chromium package; .ci/run installs it
 * where it can): it loads without a console error, shows the mode and the live figures, and a
 * screenshot is kept in target/page.png.
 */
@Tag("slow") // a headless Chromium against a demo JVM
class PageTest {
  private static String chromium() {
    for (String candidate : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
        if (Files.isExecutable(Path.of(dir, candidate))) {
          return Path.of(dir, candidate).toString();
        }
      }
    }
    return null;
  }

  /** Runs headless Chromium on the page with 3 s of virtual time for its scripts to run. */
  private static String[] run(String chromium, String url, String... mode) throws Exception {
    List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox",
        "--disable-gpu", "--hide-scrollbars", "--window-size=1100,1000",
        "--virtual-time-budget=3000", "--enable-logging=stderr", "--v=0"));
    command.addAll(List.of(mode));
    command.add(url);
    Path out = Files.createTempFile("chromium-", ".out");
    Path err = Files.createTempFile("chromium-", ".err");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("chromium did not finish in 90 s");
    }
    return new String[] {Files.readString(out), Files.readString(err)};
  }

  private static String figure(String dom, String id) {
    Matcher matcher = Pattern.compile("id=\"" + id + "\">([^<]*)<").matcher(dom);
    assertTrue(matcher.find(), id + " not on the page:\n" + dom);
    return matcher.group(1);
  }

  @Test
  void thePageShowsTheModeAndLiveFiguresWithoutAConsoleError() throws Exception {
    String chromium = chromium();
    assumeTrue(chromium != null, "No Chromium on this machine (Debian: apt-get install "
        + "chromium); the page is not tested in a browser here");
    try (DemoNode node = DemoNode.start("page", Map.of())) {
      node.get("/api/products/sku-1");
      node.get("/api/products/sku-1");
      node.send("POST", "/api/sessions", "{\"userId\":\"alice\",\"data\":{}}");
      node.get("/api/limited?user=alice");

      String[] dumped = run(chromium, node.base + "/", "--dump-dom");
      String dom = dumped[0];
      assertEquals("fallback", figure(dom, "mode"));
      assertEquals("UP", figure(dom, "health"));
      assertEquals("50.0 %", figure(dom, "hitRate"));
      assertEquals("1 / 1", figure(dom, "hitsMisses"));
      assertEquals("1", figure(dom, "sessions"));
      assertTrue(dom.contains("<td>100</td><td>99</td>"), dom);
      assertFalse(dom.contains("<td>alice</td>"), "no one's identity on the public page: " + dom);
      assertTrue(dom.contains("data-updated=\""), "the poll ran: " + dom);
      assertEquals("", figure(dom, "errors"), "no script error on the page");
      List<String> consoleErrors = dumped[1].lines()
          .filter(line -> line.contains("CONSOLE") && line.toLowerCase().contains("error"))
          .toList();
      assertTrue(consoleErrors.isEmpty(), String.join("\n", consoleErrors));
      assertFalse(dumped[1].contains("Uncaught"), dumped[1]);

      Path screenshot = Path.of("target", "page.png").toAbsolutePath();
      Files.deleteIfExists(screenshot);
      run(chromium, node.base + "/", "--screenshot=" + screenshot);
      assertTrue(Files.size(screenshot) > 10_000, "a screenshot of the page: " + screenshot);
      System.out.println("Screenshot of the page: " + screenshot);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
