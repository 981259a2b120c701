package dev.taskmaster.agent.quality;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.taskmaster.agent.core.ModelCall;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Detects the {@link ResponseEvent}s of one successful call. Linear in the response's length, with
 * fixed memory; not thread-safe (it reuses buffers), so one instance per thread.
 */
public final class ResponseEventDetector {

  private final QualitySettings settings;
  private final RepetitionDetector repetition;
  private final char[] opening;

  /** Refusal phrases by their first character (ASCII), or all of them at index 0 otherwise. */
  private final String[][] phrasesByFirst = new String[128][];

  public ResponseEventDetector(QualitySettings settings) {
    this.settings = settings;
    this.repetition =
        new RepetitionDetector(
            settings.repetitionMinCopies,
            settings.repetitionMinWords,
            settings.repetitionMaxPeriod);
    this.opening = new char[settings.refusalScanChars];
    Map<Character, List<String>> grouped = new HashMap<>();
    for (String phrase : settings.refusalPhrases) {
      char first = phrase.charAt(0);
      grouped.computeIfAbsent(first < 128 ? first : 0, c -> new ArrayList<>()).add(phrase);
    }
    grouped.forEach((first, phrases) -> phrasesByFirst[first] = phrases.toArray(new String[0]));
  }

  /** The events of a successful call, as a mask of {@link ResponseEvent#bit()}s. */
  public int detect(ModelCall call) {
    String text = call.response;
    int events = 0;
    if (isTruncated(call.finishReason)) {
      events |= ResponseEvent.TRUNCATED.bit();
    }
    if (text == null) {
      // Text not captured: only what the server reported counts.
      return call.outputTokens == 0 ? events | ResponseEvent.EMPTY.bit() : events;
    }
    if (text.isBlank()) {
      events |= ResponseEvent.EMPTY.bit();
    } else {
      if (isRefusal(text)) {
        events |= ResponseEvent.REFUSAL.bit();
      }
      if (isRepetitionLoop(text)) {
        events |= ResponseEvent.REPETITION.bit();
      }
    }
    if (call.jsonRequested && !isValidJson(text)) {
      events |= ResponseEvent.INVALID_JSON.bit();
    }
    return events;
  }

  /** Whether the finish reason (or {@code done_reason}) means the token limit cut the answer. */
  public boolean isTruncated(String finishReason) {
    if (finishReason == null) {
      return false;
    }
    for (String reason : settings.truncationReasons) {
      if (reason.equalsIgnoreCase(finishReason)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a refusal phrase starts a word, ignoring case and apostrophe style, in the answer's
   * first {@code quality.refusal.scan-chars} characters.
   */
  public boolean isRefusal(String text) {
    int n = Math.min(text.length(), opening.length);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      opening[i] = c == '\u2019' ? '\'' : Character.toLowerCase(c);
    }
    String[] other = phrasesByFirst[0];
    for (int i = 0; i < n; i++) {
      if (i > 0 && Character.isLetterOrDigit(opening[i - 1])) {
        continue;
      }
      char c = opening[i];
      String[] candidates = c < 128 ? phrasesByFirst[c] : other;
      if (candidates != null) {
        for (String phrase : candidates) {
          if (startsWith(opening, n, i, phrase)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Whether the text holds a repetition loop (see {@link RepetitionDetector}). */
  public boolean isRepetitionLoop(String text) {
    return repetition.detect(text);
  }

  /**
   * Whether the text is one strict JSON value (RFC 8259), surrounded by nothing but whitespace; a
   * Markdown code fence around it is accepted when {@code quality.json.accept-code-fence} is on.
   */
  public boolean isValidJson(String text) {
    String json = settings.jsonAcceptCodeFence ? withoutCodeFence(text) : text;
    try {
      JsonReader reader = new JsonReader(new StringReader(json));
      reader.setStrictness(Strictness.STRICT);
      reader.skipValue();
      return reader.peek() == JsonToken.END_DOCUMENT;
    } catch (IOException | RuntimeException invalid) {
      return false;
    }
  }

  private static String withoutCodeFence(String text) {
    String t = text.strip();
    if (!t.startsWith("```") || !t.endsWith("```") || t.length() < 6) {
      return text;
    }
    int firstLineEnd = t.indexOf('\n');
    if (firstLineEnd < 0 || firstLineEnd > t.length() - 3) {
      return text;
    }
    return t.substring(firstLineEnd + 1, t.length() - 3);
  }

  private static boolean startsWith(char[] text, int length, int start, String phrase) {
    int m = phrase.length();
    if (start + m > length) {
      return false;
    }
    for (int j = 0; j < m; j++) {
      if (text[start + j] != phrase.charAt(j)) {
        return false;
      }
    }
    return true;
  }
}
