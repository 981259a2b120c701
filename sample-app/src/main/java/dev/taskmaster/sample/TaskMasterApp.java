package dev.taskmaster.sample;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.taskmaster.sample.ollama.OllamaChatResponse;
import dev.taskmaster.sample.ollama.OllamaClient;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TaskMaster, a small task assistant: sends task prompts to an OpenAI-compatible chat endpoint
 * through the openai-java SDK and to an Ollama {@code /api/chat} through {@link OllamaClient}, at a
 * steady rate, until a duration or a number of calls is reached.
 *
 * <p>Call number {@code i} (from 0) goes to Ollama when {@code floor((i + 1) * share) > floor(i *
 * share)} for the Ollama share, so {@code n} calls make exactly {@code floor(n * share)} Ollama
 * calls; the OpenAI calls are split between blocking and streaming the same way. Run with {@code
 * --help} for the flags.
 */
public final class TaskMasterApp {

  private final Options options;
  private final PrintStream out;
  private final OpenAIClient openAi;
  private final OllamaClient ollama;
  private final FeedbackSender feedback;
  private final AtomicLong claimed = new AtomicLong();
  private final AtomicLong chatCalls = new AtomicLong();
  private final AtomicLong streamCalls = new AtomicLong();
  private final AtomicLong ollamaCalls = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile long startNanos;
  private volatile boolean finished;

  /** What a run did. */
  public record Result(long chatCalls, long streamCalls, long ollamaCalls, long errors) {
    public long calls() {
      return chatCalls + streamCalls + ollamaCalls;
    }
  }

  TaskMasterApp(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.openAi =
        OpenAIOkHttpClient.builder()
            .baseUrl(options.baseUrl)
            .apiKey(options.apiKey)
            .maxRetries(options.maxRetries)
            .timeout(options.timeout)
            .build();
    this.ollama =
        options.ollamaUrl == null ? null : new OllamaClient(options.ollamaUrl, options.timeout);
    this.feedback =
        options.feedbackUrl == null
            ? null
            : new FeedbackSender(
                URI.create(options.feedbackUrl), options.feedbackToken, options.feedbackSeed, out);
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args, System.getenv("OPENAI_API_KEY"));
    } catch (IllegalArgumentException e) {
      System.err.println("taskmaster: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    if (options.help) {
      System.out.println(Options.USAGE);
      return;
    }
    TaskMasterApp app = new TaskMasterApp(options, System.out);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (!app.finished && app.startNanos != 0) {
                    app.progress("interrupted: ");
                  }
                },
                "taskmaster-summary"));
    Result result = app.run();
    if (options.linger != null) {
      try {
        Thread.sleep(options.linger.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Calls still hanging past the end would keep HTTP client threads alive: stop here.
    System.exit(result.calls() > 0 && result.errors() == result.calls() ? 1 : 0);
  }

  /** Runs the calls, then closes the clients; waits for calls in flight at most a few seconds. */
  public Result run() {
    startNanos = System.nanoTime();
    out.printf(
        "[app] calling %s (model %s)%s at %s calls/s, %s%n",
        options.baseUrl,
        options.model,
        ollama == null ? "" : " and " + options.ollamaUrl + " (model " + options.ollamaModel + ")",
        options.rate == 0 ? "unlimited" : format(options.rate),
        stopCondition());
    if (feedback != null) {
      out.printf(
          "[app] users rate %s of the OpenAI answers: feedback to %s%n",
          format(options.feedbackShare), options.feedbackUrl);
    }
    ScheduledExecutorService progress =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "taskmaster-progress");
              thread.setDaemon(true);
              return thread;
            });
    long every = options.progressEvery.toMillis();
    progress.scheduleAtFixedRate(() -> progress(""), every, every, TimeUnit.MILLISECONDS);

    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < options.threads; i++) {
      Thread worker = new Thread(this::work, "taskmaster-worker-" + (i + 1));
      worker.setDaemon(true);
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      try {
        if (options.duration == null) {
          worker.join();
        } else {
          long left = deadlineNanos() + Duration.ofSeconds(5).toNanos() - System.nanoTime();
          worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    progress.shutdownNow();
    finished = true;
    progress("done: ");
    openAi.close();
    return new Result(chatCalls.get(), streamCalls.get(), ollamaCalls.get(), errors.get());
  }

  private void work() {
    while (true) {
      long call = claimed.getAndIncrement();
      if (options.requests >= 0 && call >= options.requests) {
        return;
      }
      if (options.rate > 0) {
        long due = startNanos + (long) (call * 1e9 / options.rate);
        long wait = due - System.nanoTime();
        if (options.duration != null && due >= deadlineNanos()) {
          return;
        }
        if (wait > 0) {
          try {
            TimeUnit.NANOSECONDS.sleep(wait);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
      if (options.duration != null && System.nanoTime() >= deadlineNanos()) {
        return;
      }
      call(call);
    }
  }

  private void call(long call) {
    String prompt = Prompts.forCall(call);
    boolean toOllama = ollama != null && picks(call, options.ollamaShare);
    long chatIndex = call - (ollama == null ? 0 : (long) Math.floor(call * options.ollamaShare));
    boolean stream = !toOllama && picks(chatIndex, options.streamShare);
    String kind = toOllama ? "ollama" : stream ? "stream" : "chat";
    try {
      String answer;
      String[] id = {null};
      if (toOllama) {
        ollamaCalls.incrementAndGet();
        OllamaChatResponse response = ollama.chat(options.ollamaModel, prompt);
        answer = response.getContent();
      } else if (stream) {
        streamCalls.incrementAndGet();
        answer = chatStreaming(prompt, id);
      } else {
        chatCalls.incrementAndGet();
        ChatCompletion completion = openAi.chat().completions().create(chatParams(prompt, false));
        answer = completion.choices().get(0).message().content().orElse("");
        id[0] = completion.id();
      }
      if (feedback != null && id[0] != null && picks(chatIndex, options.feedbackShare)) {
        feedback.send(id[0], answer);
      }
      if (options.verbose) {
        out.printf("[app] #%d %s: %s -> %s%n", call, kind, prompt, firstLine(answer));
      }
    } catch (Exception e) {
      errors.incrementAndGet();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      out.printf("[app] #%d %s failed: %s%n", call, kind, oneLine(e));
    }
  }

  private ChatCompletionCreateParams chatParams(String prompt, boolean stream) {
    ChatCompletionCreateParams.Builder params =
        ChatCompletionCreateParams.builder()
            .model(options.model)
            .addSystemMessage(Prompts.SYSTEM)
            .addUserMessage(prompt);
    if (stream) {
      params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    }
    return params.build();
  }

  /** Streams an answer; {@code id[0]} receives the server's id of the completion. */
  private String chatStreaming(String prompt, String[] id) {
    StringBuilder answer = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream =
        openAi.chat().completions().createStreaming(chatParams(prompt, true))) {
      stream.stream()
          .forEach(
              chunk -> {
                id[0] = chunk.id();
                chunk
                    .choices()
                    .forEach(choice -> choice.delta().content().ifPresent(answer::append));
              });
    }
    return answer.toString();
  }

  /** Whether call {@code index} is one of the {@code share} picked evenly among all calls. */
  static boolean picks(long index, double share) {
    return Math.floor((index + 1) * share) > Math.floor(index * share);
  }

  private long deadlineNanos() {
    return startNanos + options.duration.toNanos();
  }

  private void progress(String prefix) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    long calls = chatCalls.get() + streamCalls.get() + ollamaCalls.get();
    out.printf(
        "[app] %s%.1fs: %d calls (%d chat, %d streamed, %d ollama), %d errors%s%n",
        prefix,
        seconds,
        calls,
        chatCalls.get(),
        streamCalls.get(),
        ollamaCalls.get(),
        errors.get(),
        feedback == null
            ? ""
            : ", feedback "
                + feedback.accepted()
                + " accepted, "
                + feedback.refused()
                + " refused");
  }

  private String stopCondition() {
    List<String> parts = new ArrayList<>();
    if (options.duration != null) {
      parts.add("for " + options.durationText);
    }
    if (options.requests >= 0) {
      parts.add("for " + options.requests + " calls");
    }
    return String.join(" or ", parts);
  }

  private static String firstLine(String text) {
    String line = text.lines().findFirst().orElse("");
    return line.length() > 100 ? line.substring(0, 100) + "..." : line;
  }

  private static String oneLine(Throwable e) {
    String message = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
    if (message.length() > 160) {
      message = message.substring(0, 160) + "...";
    }
    return e.getClass().getSimpleName() + ": " + message;
  }

  private static String format(double value) {
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.2f", value);
  }

  /** The command-line flags. */
  static final class Options {
    static final String USAGE =
        String.join(
            "\n",
            "usage: java -jar taskmaster-sample-app.jar [flags]",
            "  --base-url URL      OpenAI-compatible base URL (default http://127.0.0.1:8080/v1)",
            "  --api-key KEY       API key (default: $OPENAI_API_KEY, else sk-local-demo)",
            "  --ollama-url URL    Ollama base URL, or 'none' (default: scheme://host:port of"
                + " --base-url)",
            "  --model NAME        chat model (default gpt-4o-mini)",
            "  --ollama-model NAME Ollama model (default llama3.2)",
            "  --duration D        stop after D, e.g. 30s, 2m, 500ms (default 30s unless"
                + " --requests)",
            "  --requests N        stop after N calls",
            "  --rate R            calls per second, 0 = as fast as possible (default 5)",
            "  --ollama-share F    fraction of calls sent to Ollama (default 0.25)",
            "  --stream-share F    fraction of OpenAI calls that stream (default 0)",
            "  --threads N         calls in flight at most (default 2)",
            "  --timeout D         per-call timeout (default 30s)",
            "  --max-retries N     openai-java retries on 429/5xx/timeouts (default 2, as the SDK)",
            "  --progress-every D  progress line interval (default 5s)",
            "  --linger D          stay up D after the last call before exiting (default 0)",
            "  --feedback-url URL  POST users' thumbs up/down on OpenAI answers to this URL, the"
                + " agent's /feedback (default: none)",
            "  --feedback-share F  fraction of OpenAI answers that users rate (default 0.5)",
            "  --feedback-token T  bearer token for --feedback-url (default: none)",
            "  --feedback-seed N   seed of the users' random verdicts (default 42)",
            "  --verbose           print the first line of every answer",
            "  --help              this text");

    String baseUrl = "http://127.0.0.1:8080/v1";
    String apiKey;
    String ollamaUrl;
    String model = "gpt-4o-mini";
    String ollamaModel = "llama3.2";
    Duration duration;
    String durationText;
    long requests = -1;
    double rate = 5;
    double ollamaShare = 0.25;
    double streamShare = 0;
    int threads = 2;
    Duration timeout = Duration.ofSeconds(30);
    int maxRetries = 2;
    Duration linger;
    Duration progressEvery = Duration.ofSeconds(5);
    String feedbackUrl;
    double feedbackShare = 0.5;
    String feedbackToken;
    long feedbackSeed = 42;
    boolean verbose;
    boolean help;

    static Options parse(String[] args, String apiKeyFromEnv) {
      Options o = new Options();
      o.apiKey = apiKeyFromEnv == null || apiKeyFromEnv.isBlank() ? "sk-local-demo" : apiKeyFromEnv;
      String ollamaUrl = null;
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--help") || flag.equals("-h")) {
          o.help = true;
          continue;
        }
        if (flag.equals("--verbose")) {
          o.verbose = true;
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        String value = args[++i];
        switch (flag) {
          case "--base-url" -> o.baseUrl = value;
          case "--api-key" -> o.apiKey = value;
          case "--ollama-url" -> ollamaUrl = value;
          case "--model" -> o.model = value;
          case "--ollama-model" -> o.ollamaModel = value;
          case "--duration" -> {
            o.duration = duration(flag, value);
            o.durationText = value;
          }
          case "--requests" -> o.requests = atLeast(flag, value, 0);
          case "--rate" -> o.rate = fraction(flag, value, Double.MAX_VALUE);
          case "--ollama-share" -> o.ollamaShare = fraction(flag, value, 1);
          case "--stream-share" -> o.streamShare = fraction(flag, value, 1);
          case "--threads" -> o.threads = (int) atLeast(flag, value, 1);
          case "--timeout" -> o.timeout = duration(flag, value);
          case "--max-retries" -> o.maxRetries = (int) atLeast(flag, value, 0);
          case "--progress-every" -> o.progressEvery = duration(flag, value);
          case "--linger" -> o.linger = duration(flag, value);
          case "--feedback-url" -> o.feedbackUrl = value;
          case "--feedback-share" -> o.feedbackShare = fraction(flag, value, 1);
          case "--feedback-token" -> o.feedbackToken = value;
          case "--feedback-seed" -> o.feedbackSeed = atLeast(flag, value, 0);
          default -> throw new IllegalArgumentException("unknown flag " + flag);
        }
      }
      if (o.duration == null && o.requests < 0) {
        o.duration = Duration.ofSeconds(30);
        o.durationText = "30s";
      }
      if (o.progressEvery.isZero()) {
        throw new IllegalArgumentException("--progress-every must be more than 0");
      }
      if (o.feedbackUrl != null) {
        URI feedback = URI.create(o.feedbackUrl);
        if (feedback.getScheme() == null || feedback.getHost() == null) {
          throw new IllegalArgumentException(
              "--feedback-url must be an absolute http(s) URL, got " + o.feedbackUrl);
        }
      }
      URI base = URI.create(o.baseUrl);
      if (base.getScheme() == null || base.getHost() == null) {
        throw new IllegalArgumentException(
            "--base-url must be an absolute http(s) URL, got " + o.baseUrl);
      }
      if (ollamaUrl == null) {
        o.ollamaUrl =
            base.getScheme()
                + "://"
                + base.getHost()
                + (base.getPort() < 0 ? "" : ":" + base.getPort());
      } else if (!ollamaUrl.equals("none")) {
        o.ollamaUrl = ollamaUrl;
      }
      return o;
    }

    /** {@code 30s}, {@code 2m}, {@code 1h}, {@code 500ms}, or a bare number of seconds. */
    static Duration duration(String flag, String value) {
      try {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        long unit =
            switch (v.charAt(v.length() - 1)) {
              case 's' -> 1_000;
              case 'm' -> 60_000;
              case 'h' -> 3_600_000;
              default -> 0;
            };
        if (unit == 0) {
          return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
        }
        double amount = Double.parseDouble(v.substring(0, v.length() - 1));
        if (amount < 0) {
          throw new NumberFormatException();
        }
        return Duration.ofMillis((long) (amount * unit));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            flag + " must be a duration such as 30s, 2m, 1h or 500ms, got '" + value + "'");
      }
    }

    private static long atLeast(String flag, String value, long min) {
      try {
        long n = Long.parseLong(value);
        if (n >= min) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(
          flag + " must be a whole number of at least " + min + ", got '" + value + "'");
    }

    private static double fraction(String flag, String value, double max) {
      try {
        double d = Double.parseDouble(value);
        if (d >= 0 && d <= max) {
          return d;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(
          flag + " must be a number from 0" + (max == 1 ? " to 1" : "") + ", got '" + value + "'");
    }
  }
}
