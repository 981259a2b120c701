package dev.taskmaster.agent.export;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.taskmaster.agent.metrics.FastMetrics;
import dev.taskmaster.agent.util.AgentLog;
import dev.taskmaster.agent.util.DaemonThreadFactory;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.DefaultHandler;
import io.prometheus.metrics.exporter.httpserver.HealthyHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Serves {@code /metrics} from the JDK's HTTP server inside the JVM, on daemon threads and with
 * explicit settings, so that an application's own Prometheus configuration can neither move nor
 * change it. The handlers are the Prometheus client's ({@code /-/healthy}, and {@code /metrics} for
 * every format but the plain text one), with the plain text {@code /metrics} our own ({@link
 * MetricsEndpoint}).
 */
public final class MetricsExporter {

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsExporter(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts the exporter. Must be called from a daemon thread: the JDK's HTTP server gives its
   * dispatcher thread the daemon flag of the thread that starts it.
   *
   * @param defaultHandler serves every path but {@code /metrics} and {@code /-/healthy} (the status
   *     page, {@code /health}, {@code /feedback}), or {@code null}
   * @return the running exporter, or {@code null} when it could not start (already logged)
   */
  public static MetricsExporter start(
      String host,
      int port,
      Path portFile,
      PrometheusRegistry registry,
      HttpHandler defaultHandler) {
    ExecutorService executor =
        new ThreadPoolExecutor(
            1,
            2,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(64),
            new DaemonThreadFactory("taskmaster-exporter"),
            new ThreadPoolExecutor.DiscardPolicy());
    HttpServer server;
    try {
      PrometheusProperties properties = PrometheusProperties.builder().build();
      // As the Prometheus client's HTTPServer did before us: bound how long a slow scraper can
      // hold one of the two exporter threads, unless the application chose otherwise.
      setIfAbsent("sun.net.httpserver.maxReqTime", "60");
      setIfAbsent("sun.net.httpserver.maxRspTime", "600");
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 3);
      server.setExecutor(executor);
      server.createContext(
          "/metrics", new MetricsEndpoint(properties, registry, FastMetrics.of(registry)));
      server.createContext("/-/healthy", new HealthyHandler());
      server.createContext(
          "/", defaultHandler != null ? defaultHandler : new DefaultHandler("/metrics"));
      server.start();
    } catch (BindException busy) {
      executor.shutdownNow();
      AgentLog.warn(
          "exporter.port="
              + port
              + ": cannot listen on "
              + host
              + ":"
              + port
              + " ("
              + busy.getMessage()
              + "); /metrics is not served, metrics are still collected. Accepted: a free port"
              + " from 0 to 65535 (0 picks a free one).");
      return null;
    } catch (UnknownHostException unknown) {
      executor.shutdownNow();
      AgentLog.warn(
          "exporter.host="
              + host
              + ": unknown host; /metrics is not served, metrics are still collected. Accepted:"
              + " a local address or host name, such as 0.0.0.0 or 127.0.0.1.");
      return null;
    } catch (IOException | RuntimeException failure) {
      executor.shutdownNow();
      AgentLog.warn(
          "exporter.host="
              + host
              + ", exporter.port="
              + port
              + ": the exporter could not start ("
              + failure
              + "); /metrics is not served, metrics are still collected.");
      return null;
    }
    int bound = server.getAddress().getPort();
    AgentLog.info("serving metrics on http://" + host + ":" + bound + "/metrics");
    if (defaultHandler != null) {
      AgentLog.info("status page, /health and /feedback on http://" + host + ":" + bound + "/");
    }
    if (portFile != null) {
      writePortFile(portFile, bound);
    }
    return new MetricsExporter(server, executor);
  }

  /** The port the exporter listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops serving. */
  public void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  private static void writePortFile(Path portFile, int port) {
    try {
      Path absolute = portFile.toAbsolutePath();
      Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
      Files.write(temporary, Integer.toString(port).getBytes(StandardCharsets.US_ASCII));
      Files.move(
          temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException failure) {
      AgentLog.warn(
          "exporter.port.file="
              + portFile
              + ": cannot write the port there ("
              + failure
              + "). Accepted: a path in a writable directory.");
    }
  }
}
