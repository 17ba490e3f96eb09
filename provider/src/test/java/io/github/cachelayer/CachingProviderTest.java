package io.github.cachelayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cachelayer.util.ManagerOverrides;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachingProviderTest {
  private final CacheLayerCachingProvider provider = new CacheLayerCachingProvider();

  private Properties noEnvironment() {
    Properties properties = new Properties();
    properties.put(ManagerOverrides.ENVIRONMENT, Map.of());
    return properties;
  }

  @Test
  void serviceLoaderFindsOnlyThisProvider() {
    CachingProvider found = Caching.getCachingProvider();
    assertInstanceOf(CacheLayerCachingProvider.class, found);
    assertEquals("io.github.cachelayer.CacheLayerCachingProvider", found.getClass().getName());
  }

  @Test
  void nullsMeanDefaultsAndOneManagerPerUriAndClassLoader() {
    CacheManager byNulls = provider.getCacheManager(null, null, noEnvironment());
    assertEquals(provider.getDefaultURI(), byNulls.getURI());
    assertSame(byNulls, provider.getCacheManager(provider.getDefaultURI(),
        provider.getDefaultClassLoader(), noEnvironment()));
    CacheManager other = provider.getCacheManager(URI.create("other"), null, noEnvironment());
    assertNotSame(byNulls, other);
    ClassLoader loader = new URLClassLoader(new URL[0], getClass().getClassLoader());
    CacheManager otherLoader = provider.getCacheManager(null, loader, noEnvironment());
    assertNotSame(byNulls, otherLoader);
    assertSame(loader, otherLoader.getClassLoader());
    provider.close();
    assertTrue(byNulls.isClosed() && other.isClosed() && otherLoader.isClosed());
  }

  @Test
  void closeIsIdempotentEverywhere() {
    CacheManager manager = provider.getCacheManager(URI.create("closing"), null, noEnvironment());
    Cache<String, String> cache = manager.createCache("c", new MutableConfiguration<>());
    cache.close();
    cache.close();
    assertThrows(IllegalStateException.class, () -> cache.get("k"));
    manager.close();
    manager.close();
    assertThrows(IllegalStateException.class, manager::getCacheNames);
    provider.close();
    provider.close();
    CacheManager reopened = provider.getCacheManager(URI.create("closing"), null, noEnvironment());
    assertNotSame(manager, reopened, "a closed manager is replaced on the next request");
    provider.close(URI.create("closing"), null);
    assertTrue(reopened.isClosed());
  }

  @Test
  void fileAndJarUrisNameConfigurationFiles(@TempDir Path dir) throws Exception {
    String conf = "cachelayer.caches.from-file.statistics = true\n";
    Path file = dir.resolve("cachelayer.conf");
    Files.writeString(file, conf);
    Path jar = dir.resolve("config.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out)) {
      jarOut.putNextEntry(new JarEntry("config/cachelayer.conf"));
      jarOut.write(conf.getBytes(StandardCharsets.UTF_8));
      jarOut.closeEntry();
    }
    URI fileUri = file.toUri();
    URI jarUri = URI.create("jar:" + jar.toUri() + "!/config/cachelayer.conf");
    for (URI uri : new URI[] {fileUri, jarUri}) {
      CacheManager manager = provider.getCacheManager(uri, null, noEnvironment());
      assertNotNull(manager.getCache("from-file"), uri.toString());
      manager.close();
    }
  }

  @Test
  void plainResourceNamesAreConfigurationFilesToo() {
    CacheManager manager = provider.getCacheManager(URI.create("cachelayer-test.conf"), null,
        noEnvironment());
    assertNotNull(manager.getCache("sessions"));
    manager.close();
  }

  @Test
  void classLoadersAreHeldWeakly() throws Exception {
    WeakReference<ClassLoader> loaderRef = openManagerWithThrowawayLoader();
    for (int i = 0; i < 50 && loaderRef.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertNull(loaderRef.get(), "the provider must not keep an application's class loader alive");
  }

  private WeakReference<ClassLoader> openManagerWithThrowawayLoader() {
    ClassLoader loader = new URLClassLoader(new URL[0], getClass().getClassLoader());
    CacheManager manager = provider.getCacheManager(URI.create("weak"), loader, noEnvironment());
    manager.createCache("c", new MutableConfiguration<>()).put("k", "v");
    return new WeakReference<>(loader);
  }
}
