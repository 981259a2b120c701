package dev.taskmaster.agent.alerting;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.taskmaster.agent.util.AgentLog;
import dev.taskmaster.agent.util.DaemonThreadFactory;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks the model server whether the model is up: a GET of {@code health.url} every {@code
 * health.interval}, on a daemon thread of its own, reported to a {@link Listener}. Up means an
 * answer 2xx within {@code health.timeout} and, with {@code health.model} set, that model listed in
 * the JSON answer (any {@code id}, {@code name} or {@code model} field, as in {@code /v1/models}
 * and Ollama's {@code /api/tags}).
 *
 * <p>Sends only the configured {@code health.headers} (no {@code Authorization} otherwise), does
 * not follow redirects, and logs the URL only as scheme, host and port, and header values never.
 *
 * <pre>{@code
 * HealthProbe probe =
 *     new HealthProbe(settings, up -> {
 *       loaded.set(up ? 1 : 0);
 *       availability.onResult(up);
 *     });
 * probe.start();
 * }</pre>
 */
public final class HealthProbe {

  /** Receives every probe's result, on the probe's thread. */
  @FunctionalInterface
  public interface Listener {
    void onResult(boolean up);
  }

  private static final int MAX_BODY_CHARS = 4 * 1024 * 1024;

  private final HealthSettings settings;
  private final Listener listener;
  private final HttpClient client;
  private final String target;
  private ScheduledExecutorService scheduler;
  private Boolean lastUp;

  public HealthProbe(HealthSettings settings, Listener listener) {
    this.settings = settings;
    this.listener = listener;
    this.client = AgentHttp.client(settings.timeout());
    this.target = HttpDelivery.describe(settings.url());
  }

  /** Probes now and then every {@code health.interval}; does nothing without {@code health.url}. */
  public synchronized void start() {
    if (scheduler != null || settings.url() == null) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(new DaemonThreadFactory("taskmaster-health"));
    scheduler.scheduleWithFixedDelay(
        this::probeAndReport, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
  }

  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  /** Probes once, reports the result to the listener and returns it. */
  public synchronized boolean probeAndReport() {
    boolean up;
    String problem;
    try {
      problem = probe();
      up = problem == null;
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return false;
    } catch (RuntimeException unexpected) {
      up = false;
      problem = unexpected.getClass().getSimpleName();
    }
    logTransition(up, problem);
    try {
      listener.onResult(up);
    } catch (RuntimeException ignored) {
      // The listener's failure must not stop the schedule.
    }
    return up;
  }

  /** Returns {@code null} when up, else why not. */
  private String probe() throws InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(settings.url())
            .timeout(settings.timeout())
            .header("Accept", "application/json")
            .header("User-Agent", "taskmaster-agent")
            .GET();
    try {
      for (Map.Entry<String, String> header : settings.headers().entrySet()) {
        request.header(header.getKey(), header.getValue());
      }
    } catch (IllegalArgumentException restricted) {
      return "a header in health.headers is not allowed: " + settings.headers().keySet();
    }
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException failure) {
      return failure.getClass().getSimpleName();
    }
    int status = response.statusCode();
    if (status < 200 || status >= 300) {
      return "HTTP " + status;
    }
    if (settings.model() == null) {
      return null;
    }
    String body = response.body();
    if (body == null || body.length() > MAX_BODY_CHARS) {
      return "answer without a model list";
    }
    try {
      if (lists(JsonParser.parseString(body), settings.model())) {
        return null;
      }
    } catch (RuntimeException notJson) {
      return "answer is not JSON";
    }
    return "model " + settings.model() + " not listed";
  }

  /** Whether a model id, name or model field anywhere in the JSON names the model. */
  static boolean lists(JsonElement json, String model) {
    if (json.isJsonArray()) {
      for (JsonElement element : (JsonArray) json) {
        if (lists(element, model)) {
          return true;
        }
      }
    } else if (json.isJsonObject()) {
      for (Map.Entry<String, JsonElement> field : ((JsonObject) json).entrySet()) {
        JsonElement value = field.getValue();
        if (value.isJsonPrimitive()
            && value.getAsJsonPrimitive().isString()
            && (field.getKey().equals("id")
                || field.getKey().equals("name")
                || field.getKey().equals("model"))
            && names(value.getAsString(), model)) {
          return true;
        }
        if (lists(value, model)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean names(String listed, String model) {
    return listed.equals(model) || (model.indexOf(':') < 0 && listed.equals(model + ":latest"));
  }

  private void logTransition(boolean up, String problem) {
    if (lastUp != null && lastUp == up) {
      return;
    }
    if (up) {
      if (lastUp != null) {
        AgentLog.info("health.url=" + target + ": the model is up again.");
      }
    } else {
      AgentLog.warn(
          "health.url="
              + target
              + ": the model is down ("
              + problem
              + "); the model counts as not loaded until a probe succeeds.");
    }
    lastUp = up;
  }
}
