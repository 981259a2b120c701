package dev.taskmaster.agent.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The status page's files, read from the agent jar once and kept: the page, its script and style,
 * and the uPlot charting library that the build took from the npm registry ({@code vendor/}).
 * Nothing is loaded from elsewhere, so the page works without internet access.
 */
final class StaticAssets {

  /** A file and its content type. */
  static final class Asset {
    final String contentType;
    final byte[] bytes;

    Asset(String contentType, byte[] bytes) {
      this.contentType = contentType;
      this.bytes = bytes;
    }
  }

  private static final String BASE = "/dev/taskmaster/agent/web/";

  /** URL path to resource name and content type: only these are served. */
  private static final Map<String, String[]> FILES =
      Map.of(
          "/",
          new String[] {"status.html", "text/html; charset=utf-8"},
          "/status.js",
          new String[] {"status.js", "text/javascript; charset=utf-8"},
          "/status.css",
          new String[] {"status.css", "text/css; charset=utf-8"},
          "/vendor/uPlot.iife.min.js",
          new String[] {"vendor/uPlot.iife.min.js", "text/javascript; charset=utf-8"},
          "/vendor/uPlot.min.css",
          new String[] {"vendor/uPlot.min.css", "text/css; charset=utf-8"},
          "/vendor/uPlot-LICENSE.txt",
          new String[] {"vendor/LICENSE", "text/plain; charset=utf-8"});

  private final Map<String, Asset> loaded = new ConcurrentHashMap<>();

  /** The file at a URL path, or {@code null} when there is none. */
  Asset get(String path) {
    String[] file = FILES.get(path);
    if (file == null) {
      return null;
    }
    return loaded.computeIfAbsent(path, p -> new Asset(file[1], read(file[0])));
  }

  private static byte[] read(String name) {
    try (InputStream in = StaticAssets.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new IllegalStateException(BASE + name + " is missing from the agent jar");
      }
      return in.readAllBytes();
    } catch (IOException unreadable) {
      throw new UncheckedIOException(unreadable);
    }
  }
}
