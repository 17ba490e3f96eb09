package io.github.cachelayer.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.cachelayer.testing.redis.RedisServer;
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
  private static final String NO_CHROMIUM = "No Chromium on this machine (Debian: apt-get "
      + "install chromium); the page is not tested in a browser here";

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
    String chromium = Chromium.binary();
    assumeTrue(chromium != null, NO_CHROMIUM);
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
      assertEquals("Not signed in.", figure(dom, "who"));
      assertFalse(dom.contains("Signed in as"), "no one's identity on the public page: " + dom);
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

  @Test
  void signedInOnOneInstanceThePageOfTheOtherShowsTheSameSession() throws Exception {
    String binary = Chromium.binary();
    assumeTrue(binary != null, NO_CHROMIUM);
    try (RedisServer redis = RedisServer.start();
        DemoNode a = DemoNode.start("page-a", Map.of("REDIS_URL", redis.url()));
        DemoNode b = DemoNode.start("page-b", Map.of("REDIS_URL", redis.url()));
        Chromium browser = Chromium.start(binary)) {
      String instanceA = "port " + java.net.URI.create(a.base).getPort();
      String instanceB = "port " + java.net.URI.create(b.base).getPort();
      browser.open(a.base + "/");
      browser.await("the page says who answered", () -> instanceA.equals(browser.text("instance")));
      assertEquals("Not signed in.", browser.text("who"));

      // A person signs in with Spring Security's form, on instance A.
      browser.eval("document.getElementById('signIn').click()");
      browser.await("the sign-in form", () -> "true".equals(
          browser.eval("String(document.getElementById('username') !== null)")));
      browser.eval("document.getElementById('username').value = 'alice';"
          + "document.getElementById('password').value = 'demo';"
          + "document.querySelector('button[type=submit]').click()");
      browser.await("back on the page, signed in", () -> "Signed in as alice.".equals(
          browser.text("who")));
      assertEquals(instanceA, browser.text("instance"));
      assertEquals("Visits in this session: 1, served by " + instanceA + ".",
          browser.text("visits"));

      // The same browser on instance B: the session followed it.
      browser.open(b.base + "/");
      browser.await("B answers", () -> instanceB.equals(browser.text("instance")));
      browser.await("B knows the session", () -> "Signed in as alice.".equals(
          browser.text("who")));
      assertEquals("Visits in this session: 2, served by " + instanceA + ", " + instanceB + ".",
          browser.text("visits"));

      // The rate limit's headers, as the page shows them.
      browser.eval("document.getElementById('limited').click()");
      browser.await("the limit's headers", () -> browser.text("limitHeaders")
          .contains("RateLimit: \"limited\";r=99"));
      assertTrue(browser.text("limitHeaders").contains("RateLimit-Policy: \"limited\";q=100;w=60"),
          browser.text("limitHeaders"));
      assertEquals(List.of(), browser.problems(), "no console error, no uncaught exception");
    }
  }
}
