package dev.taskmaster.agent.feedback;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One user feedback as sent to {@code POST /feedback}:
 *
 * <pre>{@code
 * {"request_id": "chatcmpl-123", "score": 1, "comment": "spot on"}
 * }</pre>
 *
 * <p>{@code request_id} is the id the agent logged for the call (1 to {@value #MAX_ID_CHARS}
 * characters); {@code score} a number from 0 (thumbs down) to 1 (thumbs up); {@code comment} is
 * optional, at most {@value #MAX_COMMENT_CHARS} characters. Parsing is strict: standard JSON only,
 * no other field, no field twice.
 */
public final class FeedbackRequest {

  /** Longest accepted {@code request_id}. */
  public static final int MAX_ID_CHARS = 200;

  /** Longest accepted {@code comment}. */
  public static final int MAX_COMMENT_CHARS = 1000;

  private static final Pattern POSITION = Pattern.compile("line \\d+ column \\d+");

  private static final String EXAMPLE = "{\"request_id\": \"chatcmpl-123\", \"score\": 1}";

  private final String requestId;
  private final double score;
  private final String comment;

  public FeedbackRequest(String requestId, double score, String comment) {
    this.requestId = requestId;
    this.score = score;
    this.comment = comment;
  }

  /** The id of the call the feedback is about. */
  public String requestId() {
    return requestId;
  }

  /** From 0 (bad) to 1 (good). */
  public double score() {
    return score;
  }

  /** The user's comment, or {@code null}. */
  public String comment() {
    return comment;
  }

  /**
   * Reads a request body.
   *
   * @throws FeedbackRejected (400) when it is not JSON, not an object of the known fields, or a
   *     field has the wrong type or value
   */
  public static FeedbackRequest parse(String body) throws FeedbackRejected {
    JsonReader reader = new JsonReader(new StringReader(body));
    reader.setStrictness(Strictness.STRICT);
    String requestId = null;
    Double score = null;
    String comment = null;
    try {
      if (reader.peek() != JsonToken.BEGIN_OBJECT) {
        throw malformed("expected a JSON object such as " + EXAMPLE);
      }
      reader.beginObject();
      Set<String> seen = new HashSet<>();
      while (reader.hasNext()) {
        String name = reader.nextName();
        if (!seen.add(name)) {
          throw invalid("invalid_field", "field \"" + name + "\" is given twice");
        }
        switch (name) {
          case "request_id":
            requestId = requestId(reader);
            break;
          case "score":
            score = score(reader);
            break;
          case "comment":
            comment = comment(reader);
            break;
          default:
            throw invalid(
                "unknown_field",
                "unknown field \"" + name + "\"; the fields are request_id, score and comment");
        }
      }
      reader.endObject();
      if (!atEnd(reader)) {
        throw malformed("text follows the JSON object");
      }
    } catch (IOException | IllegalStateException | NumberFormatException malformed) {
      throw malformed("not valid JSON" + where(malformed) + "; expected " + EXAMPLE);
    }
    if (requestId == null) {
      throw invalid("missing_field", "request_id is missing; expected " + EXAMPLE);
    }
    if (score == null) {
      throw invalid("missing_field", "score is missing: a number from 0 (bad) to 1 (good)");
    }
    return new FeedbackRequest(requestId, score, comment);
  }

  private static String requestId(JsonReader reader) throws IOException, FeedbackRejected {
    if (reader.peek() != JsonToken.STRING) {
      throw wrongType("request_id", reader, "a string, the id the agent logged for the call");
    }
    String id = reader.nextString();
    if (id.isEmpty() || id.length() > MAX_ID_CHARS || hasControlCharacter(id)) {
      throw invalid(
          "invalid_field",
          "request_id must have 1 to "
              + MAX_ID_CHARS
              + " characters and no control character, got "
              + id.length()
              + " characters");
    }
    return id;
  }

  private static double score(JsonReader reader) throws IOException, FeedbackRejected {
    if (reader.peek() != JsonToken.NUMBER) {
      throw wrongType("score", reader, "a number from 0 (bad) to 1 (good)");
    }
    String text = reader.nextString();
    double score = Double.parseDouble(text);
    if (!(score >= 0 && score <= 1)) {
      throw invalid(
          "invalid_field", "score must be a number from 0 (bad) to 1 (good), got " + text);
    }
    return score;
  }

  private static String comment(JsonReader reader) throws IOException, FeedbackRejected {
    if (reader.peek() == JsonToken.NULL) {
      reader.nextNull();
      return null;
    }
    if (reader.peek() != JsonToken.STRING) {
      throw wrongType("comment", reader, "a string or null");
    }
    String comment = reader.nextString();
    if (comment.length() > MAX_COMMENT_CHARS) {
      throw invalid(
          "invalid_field",
          "comment has "
              + comment.length()
              + " characters; at most "
              + MAX_COMMENT_CHARS
              + " are accepted");
    }
    return comment.isEmpty() ? null : comment;
  }

  private static FeedbackRejected wrongType(String field, JsonReader reader, String expected)
      throws IOException {
    return invalid(
        "invalid_field", field + " must be " + expected + ", got " + describe(reader.peek()));
  }

  private static String describe(JsonToken token) {
    switch (token) {
      case STRING:
        return "a string";
      case NUMBER:
        return "a number";
      case BOOLEAN:
        return "a boolean";
      case NULL:
        return "null";
      case BEGIN_ARRAY:
        return "an array";
      case BEGIN_OBJECT:
        return "an object";
      default:
        return token.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static boolean atEnd(JsonReader reader) {
    try {
      return reader.peek() == JsonToken.END_DOCUMENT;
    } catch (IOException more) {
      // Strict parsing refuses a second top-level value outright.
      return false;
    }
  }

  /** Where Gson stopped, without its advice to parse leniently. */
  private static String where(Exception malformed) {
    Matcher at = POSITION.matcher(String.valueOf(malformed.getMessage()));
    return at.find() ? " (at " + at.group() + ")" : "";
  }

  private static boolean hasControlCharacter(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static FeedbackRejected malformed(String message) {
    return new FeedbackRejected(400, "malformed_json", message);
  }

  private static FeedbackRejected invalid(String reason, String message) {
    return new FeedbackRejected(400, reason, message);
  }
}
