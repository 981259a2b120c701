package dev.taskmaster.agent.alerting;

import dev.taskmaster.agent.util.DaemonThreadFactory;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JDK HTTP clients for the agent's own requests (notifications, health probe). Their work runs on
 * daemon threads of the agent (the client's selector thread is a daemon too), so they never keep a
 * JVM alive; they send no credentials unless configured, do not follow redirects (a header must not
 * travel to another host), and speak HTTP/1.1 without an h2c upgrade.
 */
final class AgentHttp {

  private static final ExecutorService EXECUTOR =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          60,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          new DaemonThreadFactory("taskmaster-http"));

  private AgentHttp() {}

  static HttpClient client(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .executor(EXECUTOR)
        .build();
  }
}
