package dev.taskmaster.agent.http;

import dev.taskmaster.agent.util.AgentLog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Recognises model endpoints by the path of an HTTP request, whatever host and base path the
 * application calls.
 *
 * <p>Configured by {@value #CONFIG_KEY}: a comma-separated list of entries; default is {@value
 * #DEFAULT_ENDPOINTS}. Setting the key replaces the whole list, so repeat the defaults you want to
 * keep. An entry is
 *
 * <pre>
 *   PATH                   the operation and API are inferred from how PATH ends
 *   PATH=OPERATION:API     explicit, for paths that end in something else
 * </pre>
 *
 * <ul>
 *   <li>{@code PATH} starts with {@code /} and matches the <em>end</em> of a request path, segment
 *       by segment, with any base path before it: {@code /v1/chat/completions} matches {@code
 *       /v1/chat/completions} and {@code /openai/v1/chat/completions}, not {@code
 *       /v1/chat/completions/x}. A segment {@code *} matches exactly one non-empty segment, for
 *       Azure-style paths such as <code>/openai/deployments/*&#47;chat/completions</code>. One
 *       trailing {@code /} of a request path is ignored.
 *   <li>Inference: a path ending in {@code chat/completions}, {@code completions}, {@code
 *       responses} or {@code embeddings} is an OpenAI-compatible API; one ending in {@code
 *       api/chat}, {@code api/generate}, {@code api/embed} or {@code api/embeddings} is Ollama's.
 *   <li>{@code OPERATION:API} is one of {@code chat:openai}, {@code completions:openai}, {@code
 *       responses:openai}, {@code embeddings:openai}, {@code chat:ollama}, {@code generate:ollama},
 *       {@code embed:ollama}, {@code embeddings:ollama}. The operation becomes the {@code
 *       operation} label, so its values stay a closed set.
 * </ul>
 *
 * <p>When several entries match, the one with the most segments wins, then the earlier one. An
 * invalid entry is skipped with one warning naming it.
 *
 * <p>{@link #find(String)} is called for every HTTP request the application makes: it compares
 * characters from the end of the path, allocates nothing and is safe from any thread.
 */
public final class EndpointMatcher {

  // A named comparator, not a lambda: this runs in premain (see AgentInstaller).
  private static final Comparator<Entry> MOST_SEGMENTS_FIRST = new MostSegmentsFirst();

  /** Configuration key of the endpoint list. */
  public static final String CONFIG_KEY = "http.endpoints";

  /** Default value of {@value #CONFIG_KEY}. */
  public static final String DEFAULT_ENDPOINTS =
      "/v1/chat/completions, /v1/completions, /v1/responses, /v1/embeddings,"
          + " /api/chat, /api/generate, /api/embed, /api/embeddings";

  private static final String ACCEPTED =
      "PATH or PATH=OPERATION:API, where PATH starts with / and may hold * segments, and"
          + " OPERATION:API is chat:openai, completions:openai, responses:openai,"
          + " embeddings:openai, chat:ollama, generate:ollama, embed:ollama or embeddings:ollama";

  private static final EndpointMatcher DEFAULT = build(DEFAULT_ENDPOINTS);

  private final Entry[] entries;

  /**
   * Bit {@code c} is set when some pattern ends in the ASCII character {@code c}; all bits when a
   * pattern ends in {@code *}. Rejects most paths after one look at their last character.
   */
  private final long[] lastChars = new long[2];

  private EndpointMatcher(Entry[] entries) {
    this.entries = entries;
    for (Entry entry : entries) {
      String last = entry.segments[entry.segments.length - 1];
      char c = last == null ? 0 : last.charAt(last.length() - 1);
      if (last == null || c >= 128) {
        lastChars[0] = lastChars[1] = -1L;
      } else {
        lastChars[c >>> 6] |= 1L << c;
      }
    }
  }

  /** The matcher for {@link #DEFAULT_ENDPOINTS}. */
  public static EndpointMatcher defaults() {
    return DEFAULT;
  }

  /**
   * Builds a matcher from the value of {@value #CONFIG_KEY}; {@code null} or blank means the
   * default list. Never throws: invalid entries are logged and skipped.
   */
  public static EndpointMatcher parse(String configValue) {
    if (configValue == null || configValue.isBlank()) {
      return DEFAULT;
    }
    return build(configValue);
  }

  private static EndpointMatcher build(String configValue) {
    List<Entry> parsed = new ArrayList<>();
    for (String raw : configValue.split(",")) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      Entry valid = Entry.parse(entry);
      if (valid == null) {
        AgentLog.warn(
            CONFIG_KEY + ": ignoring entry \"" + entry + "\"; an entry is " + ACCEPTED + ".");
      } else {
        parsed.add(valid);
      }
    }
    // List.sort is stable: among equally long patterns the configured order decides.
    parsed.sort(MOST_SEGMENTS_FIRST);
    return new EndpointMatcher(parsed.toArray(new Entry[0]));
  }

  /**
   * Returns the endpoint whose pattern ends this path, or {@code null}. Anything from a {@code ?}
   * or {@code #} on is ignored, should a caller pass more than the path.
   */
  public Endpoint find(String path) {
    if (path == null) {
      return null;
    }
    int end = path.indexOf('?');
    if (end < 0) {
      end = path.length();
    }
    int fragment = path.indexOf('#');
    if (fragment >= 0 && fragment < end) {
      end = fragment;
    }
    if (end > 1 && path.charAt(end - 1) == '/') {
      end--;
    }
    if (end == 0) {
      return null;
    }
    char last = path.charAt(end - 1);
    if (last < 128 && (lastChars[last >>> 6] & (1L << last)) == 0) {
      return null;
    }
    for (Entry entry : entries) {
      if (entry.matches(path, end)) {
        return entry.endpoint;
      }
    }
    return null;
  }

  /**
   * Returns the operation label of this path ({@code chat}, {@code completions}, {@code responses},
   * {@code embeddings}, {@code generate}, {@code embed}) or {@code null}.
   */
  public String match(String path) {
    Endpoint endpoint = find(path);
    return endpoint == null ? null : endpoint.operation();
  }

  /** The configured patterns, most specific first, as written in the configuration. */
  public List<String> patterns() {
    List<String> patterns = new ArrayList<>(entries.length);
    for (Entry entry : entries) {
      patterns.add(entry.endpoint.pattern());
    }
    return patterns;
  }

  /** A recognised endpoint: one instance per configured entry, shared by all calls. */
  public static final class Endpoint {
    private final String pattern;
    private final String operation;
    private final ApiFlavour flavour;

    Endpoint(String pattern, String operation, ApiFlavour flavour) {
      this.pattern = pattern;
      this.operation = operation;
      this.flavour = flavour;
    }

    /** The configured path pattern, such as {@code /v1/chat/completions}. */
    public String pattern() {
      return pattern;
    }

    /** The {@code operation} label value, such as {@code chat}. */
    public String operation() {
      return operation;
    }

    /** How requests and responses of this endpoint are read. */
    public ApiFlavour flavour() {
      return flavour;
    }

    @Override
    public String toString() {
      return pattern + "=" + operation + ":" + (flavour.isOllama() ? "ollama" : "openai");
    }
  }

  private static final class MostSegmentsFirst implements Comparator<Entry> {
    @Override
    public int compare(Entry a, Entry b) {
      return Integer.compare(b.segments.length, a.segments.length);
    }
  }

  private static final class Entry {
    /** Path segments in order; {@code null} stands for {@code *}. */
    final String[] segments;

    final Endpoint endpoint;

    private Entry(String[] segments, Endpoint endpoint) {
      this.segments = segments;
      this.endpoint = endpoint;
    }

    static Entry parse(String entry) {
      int equals = entry.indexOf('=');
      String path = (equals < 0 ? entry : entry.substring(0, equals)).trim();
      if (path.length() > 1 && path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      if (!path.startsWith("/") || path.length() < 2 || path.contains("?") || path.contains("#")) {
        return null;
      }
      String[] segments = path.substring(1).split("/", -1);
      for (int i = 0; i < segments.length; i++) {
        String segment = segments[i];
        if (segment.isEmpty() || (segment.contains("*") && !segment.equals("*"))) {
          return null;
        }
        if (segment.equals("*")) {
          segments[i] = null;
        }
      }
      Endpoint endpoint;
      if (equals < 0) {
        endpoint = inferred(path, segments);
      } else {
        endpoint = explicit(path, entry.substring(equals + 1).trim().toLowerCase(Locale.ROOT));
      }
      return endpoint == null ? null : new Entry(segments, endpoint);
    }

    private static Endpoint inferred(String path, String[] segments) {
      int n = segments.length;
      String last = segments[n - 1];
      String previous = n >= 2 ? segments[n - 2] : null;
      if (last == null) {
        return null;
      }
      boolean underApi = "api".equals(previous);
      switch (last) {
        case "completions":
          return "chat".equals(previous)
              ? new Endpoint(path, "chat", ApiFlavour.OPENAI_CHAT)
              : new Endpoint(path, "completions", ApiFlavour.OPENAI_COMPLETIONS);
        case "responses":
          return new Endpoint(path, "responses", ApiFlavour.OPENAI_RESPONSES);
        case "embeddings":
          return new Endpoint(
              path,
              "embeddings",
              underApi ? ApiFlavour.OLLAMA_EMBED : ApiFlavour.OPENAI_EMBEDDINGS);
        case "chat":
          return underApi ? new Endpoint(path, "chat", ApiFlavour.OLLAMA_CHAT) : null;
        case "generate":
          return underApi ? new Endpoint(path, "generate", ApiFlavour.OLLAMA_GENERATE) : null;
        case "embed":
          return underApi ? new Endpoint(path, "embed", ApiFlavour.OLLAMA_EMBED) : null;
        default:
          return null;
      }
    }

    private static Endpoint explicit(String path, String kind) {
      switch (kind) {
        case "chat:openai":
          return new Endpoint(path, "chat", ApiFlavour.OPENAI_CHAT);
        case "completions:openai":
          return new Endpoint(path, "completions", ApiFlavour.OPENAI_COMPLETIONS);
        case "responses:openai":
          return new Endpoint(path, "responses", ApiFlavour.OPENAI_RESPONSES);
        case "embeddings:openai":
          return new Endpoint(path, "embeddings", ApiFlavour.OPENAI_EMBEDDINGS);
        case "chat:ollama":
          return new Endpoint(path, "chat", ApiFlavour.OLLAMA_CHAT);
        case "generate:ollama":
          return new Endpoint(path, "generate", ApiFlavour.OLLAMA_GENERATE);
        case "embed:ollama":
          return new Endpoint(path, "embed", ApiFlavour.OLLAMA_EMBED);
        case "embeddings:ollama":
          return new Endpoint(path, "embeddings", ApiFlavour.OLLAMA_EMBED);
        default:
          return null;
      }
    }

    /** Whether {@code path[0, end)} ends with this entry's segments. */
    boolean matches(String path, int end) {
      int pos = end;
      for (int i = segments.length - 1; i >= 0; i--) {
        String segment = segments[i];
        if (segment == null) {
          int slash = pos > 0 ? path.lastIndexOf('/', pos - 1) : -1;
          if (slash < 0 || slash == pos - 1) {
            return false;
          }
          pos = slash;
        } else {
          int start = pos - segment.length();
          if (start < 1
              || path.charAt(start - 1) != '/'
              || !path.regionMatches(start, segment, 0, segment.length())) {
            return false;
          }
          pos = start - 1;
        }
      }
      return true;
    }
  }
}
