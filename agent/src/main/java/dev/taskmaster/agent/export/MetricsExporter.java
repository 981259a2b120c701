package dev.taskmaster.agent.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.taskmaster.agent.metrics.FastMetrics;
import dev.taskmaster.agent.util.AgentLog;
import dev.taskmaster.agent.util.DaemonThreadFactory;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.DefaultHandler;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Serves {@code /metrics} from the Prometheus {@link HTTPServer} inside the JVM, on daemon threads
 * and with explicit settings, so that an application's own Prometheus configuration can neither
 * move nor change it. {@code /metrics} itself is {@link MetricsEndpoint}, reached through the
 * default handler; the client library's own handler moves to {@value #CLIENT_METRICS_PATH}.
 */
public final class MetricsExporter {

  /**
   * Threads that serve requests. More than the {@code POST /feedback} requests that may wait for
   * the agent's background thread at once (two, up to 2 s each): a scrape never queues behind them.
   * Idle threads end after a minute.
   */
  static final int THREADS = 4;

  /** Where the client library's own {@code /metrics} handler is served instead. */
  static final String CLIENT_METRICS_PATH = "/-/metrics";

  /**
   * The package of the JDK's HTTP server (module {@code jdk.httpserver}) that the agent opens to
   * itself, so that the exporter can turn Nagle's algorithm off on its own connections. Without it
   * the exporter works, and a gzip scrape over loopback waits 40 ms longer.
   */
  public static final String JDK_SERVER_PACKAGE = TcpNoDelay.PACKAGE;

  private final HTTPServer server;

  private MetricsExporter(HTTPServer server) {
    this.server = server;
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
    return start(host, port, portFile, registry, defaultHandler, ExporterSecurity.NONE);
  }

  /**
   * Starts the exporter with basic authentication and TLS as far as {@code security} turns them on.
   * Must be called from a daemon thread.
   *
   * @param defaultHandler serves every path but {@code /metrics} and {@code /-/healthy}, or {@code
   *     null}
   * @param security from {@link ExporterSecurity#load}
   * @return the running exporter, or {@code null} when it could not start (already logged)
   */
  public static MetricsExporter start(
      String host,
      int port,
      Path portFile,
      PrometheusRegistry registry,
      HttpHandler defaultHandler,
      ExporterSecurity security) {
    return start(host, port, portFile, registry, defaultHandler, security, () -> {});
  }

  /**
   * Starts the exporter as {@link #start(String, int, Path, PrometheusRegistry, HttpHandler,
   * ExporterSecurity)} does, running {@code beforeEachRequest} on the exporter's thread before
   * every request (the agent lets its background thread catch up with the calls that ended before
   * it).
   *
   * @param beforeEachRequest bounded in time; whatever it throws is ignored
   */
  public static MetricsExporter start(
      String host,
      int port,
      Path portFile,
      PrometheusRegistry registry,
      HttpHandler defaultHandler,
      ExporterSecurity security,
      Runnable beforeEachRequest) {
    ThreadPoolExecutor executor = new ExporterThreads(TcpNoDelay.forJdkServer(), beforeEachRequest);
    HTTPServer server;
    try {
      HTTPServer.Builder builder =
          HTTPServer.builder(PrometheusProperties.builder().build())
              .hostname(host)
              .port(port)
              .registry(registry)
              .executorService(executor);
      // The server's /metrics context would take every /metrics request; moved aside, /metrics
      // reaches the default handler, which routes it to MetricsEndpoint.
      builder.metricsHandlerPath(CLIENT_METRICS_PATH);
      builder.defaultHandler(
          new MetricsRouting(
              new MetricsEndpoint(
                  PrometheusProperties.builder().build(), registry, FastMetrics.of(registry)),
              defaultHandler != null ? defaultHandler : new DefaultHandler("/metrics")));
      security.applyTo(builder);
      server = builder.buildAndStart();
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
    String base = security.scheme() + "://" + host + ":" + server.getPort();
    AgentLog.info("serving metrics on " + base + "/metrics" + security.describe());
    if (defaultHandler != null) {
      AgentLog.info("status page, /health and /feedback on " + base + "/");
    }
    if (portFile != null) {
      writePortFile(portFile, server.getPort());
    }
    return new MetricsExporter(server);
  }

  /** The port the exporter listens on. */
  public int port() {
    return server.getPort();
  }

  /** Stops serving. */
  public void stop() {
    server.close();
  }

  /**
   * The server's executor. Every request of every path passes through it, before it is read: the
   * one place to set a socket option on the exporter's connections and on no other.
   */
  static final class ExporterThreads extends ThreadPoolExecutor {
    private final TcpNoDelay noDelay;
    private final Runnable beforeEachRequest;

    ExporterThreads(TcpNoDelay noDelay) {
      this(noDelay, () -> {});
    }

    ExporterThreads(TcpNoDelay noDelay, Runnable beforeEachRequest) {
      // Core and maximum alike: a ThreadPoolExecutor only adds threads above its core size once
      // its queue is full, so a core of one served everything queued behind one slow request.
      super(
          THREADS,
          THREADS,
          60,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(64),
          new DaemonThreadFactory("taskmaster-exporter"),
          new ThreadPoolExecutor.DiscardPolicy());
      this.noDelay = noDelay;
      this.beforeEachRequest = beforeEachRequest;
      allowCoreThreadTimeOut(true);
    }

    @Override
    protected void beforeExecute(Thread thread, Runnable task) {
      noDelay.apply(task);
      try {
        beforeEachRequest.run();
      } catch (Throwable ignored) {
        // The request is served as it is; what it shows may miss the calls of the last moments.
      }
    }
  }

  /** {@code /metrics} to {@link MetricsEndpoint}, every other path to the default handler. */
  private static final class MetricsRouting implements HttpHandler {
    private final HttpHandler metrics;
    private final HttpHandler other;

    MetricsRouting(HttpHandler metrics, HttpHandler other) {
      this.metrics = metrics;
      this.other = other;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
      String path = exchange.getRequestURI().getPath();
      if ("/metrics".equals(path) || "/metrics/".equals(path)) {
        metrics.handle(exchange);
      } else {
        other.handle(exchange);
      }
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
