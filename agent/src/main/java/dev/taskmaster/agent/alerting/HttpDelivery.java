package dev.taskmaster.agent.alerting;

import dev.taskmaster.agent.util.AgentLog;
import dev.taskmaster.agent.util.DaemonThreadFactory;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * POSTs JSON bodies to one URL from a daemon thread of its own, in order, with a time-out per
 * attempt and retries with doubling back-off; then gives up and counts the notification as failed.
 * Callers only queue: a receiver that is down or slow delays nothing but this thread. The queue is
 * bounded; a body that finds it full is dropped and counted as failed.
 *
 * <p>In <em>latest-only</em> mode (Alertmanager, which is always sent the full current state) a new
 * body replaces one still waiting, and also one being retried.
 *
 * <p>Never logs a secret: headers are not logged, and the URL only as scheme, host and port (a
 * Slack webhook's path is its secret).
 */
final class HttpDelivery {

  private static final long MAX_BACKOFF_MILLIS = 30_000;
  private static final int MAX_ERROR_BODY = 200;

  private final String key;
  private final URI url;
  private final String target;
  private final Map<String, String> headers;
  private final HttpClient client;
  private final NotifierSettings settings;
  private final boolean latestOnly;
  private final CounterDataPoint sent;
  private final CounterDataPoint failed;
  private final String failedMetric;
  private final LinkedBlockingDeque<byte[]> queue;
  private final Thread thread;
  private volatile boolean busy;
  private volatile boolean closed;
  private volatile boolean queueFullWarned;
  private boolean failing;

  /**
   * @param key the setting that names this URL, quoted in warnings
   * @param notifier the {@code notifier} label of the counters
   */
  HttpDelivery(
      String key,
      URI url,
      Map<String, String> headers,
      HttpClient client,
      NotifierSettings settings,
      boolean latestOnly,
      AlertMetrics metrics,
      String notifier,
      String metricPrefix) {
    this.key = key;
    this.url = url;
    this.target = describe(url);
    this.headers = headers;
    this.client = client;
    this.settings = settings;
    this.latestOnly = latestOnly;
    this.sent = metrics.sent(notifier);
    this.failed = metrics.failed(notifier);
    this.failedMetric = metricPrefix + "_notifications_failed_total{notifier=\"" + notifier + "\"}";
    this.queue = new LinkedBlockingDeque<>(latestOnly ? 1 : settings.queueCapacity());
    this.thread = new DaemonThreadFactory("taskmaster-notify-" + notifier).newThread(this::run);
    thread.start();
  }

  /** Scheme, host and port of a URL: what may be logged of it. */
  static String describe(URI url) {
    if (url == null) {
      return "null";
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme() + "://";
    String host = url.getHost() == null ? "?" : url.getHost();
    return scheme + host + (url.getPort() < 0 ? "" : ":" + url.getPort());
  }

  /** Queues a body, without waiting. */
  void submit(byte[] body) {
    if (closed) {
      failed.inc();
      return;
    }
    if (latestOnly) {
      synchronized (queue) {
        queue.clear();
        queue.offerLast(body);
      }
    } else if (!queue.offerLast(body)) {
      failed.inc();
      if (queueFullWarned) {
        return;
      }
      queueFullWarned = true;
      AgentLog.warn(
          key
              + "="
              + target
              + ": "
              + settings.queueCapacity()
              + " notifications already wait for a slow or unreachable receiver; this one is"
              + " dropped and counted in "
              + failedMetric
              + " (further drops without a warning until one is delivered). Raise"
              + " alerting.notify.queue or fix the receiver.");
    }
  }

  /** Waits at most {@code timeout} for queued bodies to go out, then stops the thread. */
  void close(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while ((busy || !queue.isEmpty()) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
    closed = true;
    thread.interrupt();
  }

  private void run() {
    try {
      while (!closed) {
        byte[] body = queue.takeFirst();
        busy = true;
        try {
          deliver(body);
        } finally {
          busy = false;
        }
      }
    } catch (InterruptedException interrupted) {
      // Closed.
    }
  }

  private void deliver(byte[] body) throws InterruptedException {
    long waitMillis = settings.backoff().toMillis();
    String lastProblem = null;
    int attempts = 0;
    while (true) {
      attempts++;
      Outcome outcome = attempt(body);
      if (outcome.delivered) {
        sent.inc();
        queueFullWarned = false;
        if (failing) {
          failing = false;
          AgentLog.info(key + "=" + target + ": notifications are delivered again.");
        }
        return;
      }
      lastProblem = outcome.problem;
      if (!outcome.retry || attempts > settings.retries()) {
        break;
      }
      if (latestOnly) {
        byte[] newer = queue.pollFirst(waitMillis, TimeUnit.MILLISECONDS);
        if (newer != null) {
          // The newer body holds the whole current state: send it instead, with fresh retries.
          body = newer;
          attempts = 0;
          waitMillis = settings.backoff().toMillis();
          continue;
        }
      } else {
        Thread.sleep(waitMillis);
      }
      waitMillis = Math.min(MAX_BACKOFF_MILLIS, Math.max(1, waitMillis * 2));
    }
    failed.inc();
    if (!failing) {
      failing = true;
      AgentLog.warn(
          key
              + "="
              + target
              + ": a notification could not be delivered after "
              + attempts
              + (attempts == 1 ? " attempt (" : " attempts (")
              + lastProblem
              + "); it is counted in "
              + failedMetric
              + ", and further failures are counted without a warning until one succeeds."
              + (latestOnly
                  ? " The alert state is kept: firing alerts are sent again."
                  : " The alert state is kept, but this notification is lost."));
    }
  }

  private Outcome attempt(byte[] body) throws InterruptedException {
    HttpRequest request;
    try {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(url)
              .timeout(settings.timeout())
              .header("Content-Type", "application/json")
              .header("User-Agent", "taskmaster-agent")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      headers.forEach(builder::header);
      request = builder.build();
    } catch (IllegalArgumentException badHeader) {
      // The header's name is safe to show, its value may not be.
      return new Outcome(false, false, "a configured header is not allowed: " + headerNames());
    }
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException failure) {
      String message = scrub(failure.getMessage());
      return new Outcome(
          false,
          true,
          failure.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message));
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Outcome(true, false, null);
    }
    boolean retry = status == 408 || status == 425 || status == 429 || status >= 500;
    String answer = response.body() == null ? "" : response.body().strip();
    if (answer.length() > MAX_ERROR_BODY) {
      answer = answer.substring(0, MAX_ERROR_BODY) + "...";
    }
    return new Outcome(
        false, retry, "HTTP " + status + (answer.isEmpty() ? "" : " " + scrub(answer)));
  }

  /** Removes the URL's path and query from a message: they may hold a token. */
  private String scrub(String message) {
    if (message == null) {
      return "";
    }
    String scrubbed = message;
    for (String secret : new String[] {url.toString(), url.getRawPath(), url.getRawQuery()}) {
      if (secret != null && secret.length() > 1) {
        scrubbed = scrubbed.replace(secret, "...");
      }
    }
    return scrubbed;
  }

  private String headerNames() {
    return String.join(", ", headers.keySet());
  }

  private static final class Outcome {
    final boolean delivered;
    final boolean retry;
    final String problem;

    Outcome(boolean delivered, boolean retry, String problem) {
      this.delivered = delivered;
      this.retry = retry;
      this.problem = problem;
    }
  }
}
