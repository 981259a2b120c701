package dev.taskmaster.agent.http;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;

/**
 * Reads a model request's JSON body into a {@link RequestSummary}.
 *
 * <p>Streams through the body without building a tree, so long conversations and embedding inputs
 * cost little; unknown fields are skipped. Stateless and safe from any thread, but it does parse
 * JSON: call it off the application's thread where the instrumentation allows. Never throws: a
 * missing, non-JSON or cut-off body gives a summary with {@link RequestSummary#parseError} set and
 * whatever was read before the problem.
 */
public final class RequestReader {

  /** How many characters of prompt text a summary keeps. */
  public static final int MAX_PROMPT_CHARS = 64 * 1024;

  private RequestReader() {}

  /**
   * @param body the request body; only {@code body[0, length)} is read
   * @param flavour the endpoint's flavour, for defaults; {@code null} is read as OpenAI's
   */
  public static RequestSummary read(byte[] body, int length, ApiFlavour flavour) {
    Fields fields = new Fields();
    boolean parseError = false;
    if (body == null || length <= 0) {
      parseError = true;
    } else {
      int size = Math.min(length, body.length);
      try (JsonReader reader = new JsonReader(Utf8Input.reader(body, 0, size))) {
        reader.setStrictness(Strictness.LENIENT);
        if (reader.peek() == JsonToken.BEGIN_OBJECT) {
          readRequest(reader, fields);
        } else {
          parseError = true;
        }
      } catch (IOException | RuntimeException | StackOverflowError e) {
        parseError = true;
      }
    }
    boolean stream =
        fields.stream != null ? fields.stream : flavour != null && flavour.streamsByDefault();
    long maxTokens =
        fields.maxCompletionTokens >= 0 ? fields.maxCompletionTokens : fields.maxTokens;
    return new RequestSummary(
        fields.model,
        stream,
        fields.includeUsage,
        maxTokens,
        fields.messageCount,
        fields.prompt.isPresent() ? fields.prompt.length() : -1,
        fields.prompt.value(),
        fields.jsonRequested,
        parseError);
  }

  private static void readRequest(JsonReader reader, Fields fields) throws IOException {
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.nextName()) {
        case "model":
          fields.model = readString(reader);
          break;
        case "stream":
          if (reader.peek() == JsonToken.BOOLEAN) {
            fields.stream = reader.nextBoolean();
          } else {
            reader.skipValue();
          }
          break;
        case "stream_options":
          readStreamOptions(reader, fields);
          break;
        case "max_completion_tokens":
          fields.maxCompletionTokens = readLong(reader);
          break;
        case "max_tokens":
        case "max_output_tokens":
          fields.maxTokens = readLong(reader);
          break;
        case "options":
          readOllamaOptions(reader, fields);
          break;
        case "messages":
          fields.messageCount = readItems(reader, fields.prompt);
          break;
        case "input":
          if (reader.peek() == JsonToken.BEGIN_ARRAY) {
            fields.messageCount = readItems(reader, fields.prompt);
          } else {
            fields.prompt.appendPart(readString(reader));
          }
          break;
        case "prompt":
        case "system":
        case "instructions":
          readContent(reader, fields.prompt);
          break;
        case "response_format":
          fields.jsonRequested |= isJsonFormat(reader);
          break;
        case "text":
          readTextOptions(reader, fields);
          break;
        case "format":
          // Ollama: "json", or a JSON schema object.
          JsonToken token = reader.peek();
          if (token == JsonToken.STRING) {
            fields.jsonRequested |= "json".equalsIgnoreCase(reader.nextString());
          } else {
            fields.jsonRequested |= token == JsonToken.BEGIN_OBJECT;
            reader.skipValue();
          }
          break;
        default:
          reader.skipValue();
      }
    }
    reader.endObject();
  }

  private static void readStreamOptions(JsonReader reader, Fields fields) throws IOException {
    if (reader.peek() != JsonToken.BEGIN_OBJECT) {
      reader.skipValue();
      return;
    }
    reader.beginObject();
    while (reader.hasNext()) {
      if (reader.nextName().equals("include_usage") && reader.peek() == JsonToken.BOOLEAN) {
        fields.includeUsage = reader.nextBoolean();
      } else {
        reader.skipValue();
      }
    }
    reader.endObject();
  }

  private static void readOllamaOptions(JsonReader reader, Fields fields) throws IOException {
    if (reader.peek() != JsonToken.BEGIN_OBJECT) {
      reader.skipValue();
      return;
    }
    reader.beginObject();
    while (reader.hasNext()) {
      if (reader.nextName().equals("num_predict")) {
        fields.maxTokens = readLong(reader);
      } else {
        reader.skipValue();
      }
    }
    reader.endObject();
  }

  /** Responses API: {@code "text": {"format": {"type": "json_schema", ...}}}. */
  private static void readTextOptions(JsonReader reader, Fields fields) throws IOException {
    if (reader.peek() != JsonToken.BEGIN_OBJECT) {
      reader.skipValue();
      return;
    }
    reader.beginObject();
    while (reader.hasNext()) {
      if (reader.nextName().equals("format")) {
        fields.jsonRequested |= isJsonFormat(reader);
      } else {
        reader.skipValue();
      }
    }
    reader.endObject();
  }

  /** Reads {@code {"type": ...}} and says whether it asks for JSON. */
  private static boolean isJsonFormat(JsonReader reader) throws IOException {
    if (reader.peek() != JsonToken.BEGIN_OBJECT) {
      reader.skipValue();
      return false;
    }
    boolean json = false;
    reader.beginObject();
    while (reader.hasNext()) {
      if (reader.nextName().equals("type")) {
        String type = readString(reader);
        json = "json_object".equals(type) || "json_schema".equals(type);
      } else {
        reader.skipValue();
      }
    }
    reader.endObject();
    return json;
  }

  /**
   * Reads a list of messages, input items or input strings, adding their text; returns how many
   * entries it had, or -1 when the value is not a list.
   */
  private static int readItems(JsonReader reader, BoundedText prompt) throws IOException {
    if (reader.peek() != JsonToken.BEGIN_ARRAY) {
      reader.skipValue();
      return -1;
    }
    int count = 0;
    reader.beginArray();
    while (reader.hasNext()) {
      count++;
      JsonToken token = reader.peek();
      if (token == JsonToken.STRING) {
        prompt.appendPart(reader.nextString());
      } else if (token == JsonToken.BEGIN_OBJECT) {
        readItem(reader, prompt);
      } else {
        // Token ids, nulls: no characters to count.
        reader.skipValue();
      }
    }
    reader.endArray();
    return count;
  }

  /** A chat message, or a Responses input item; a tool result ({@code output}) counts as text. */
  private static void readItem(JsonReader reader, BoundedText prompt) throws IOException {
    reader.beginObject();
    while (reader.hasNext()) {
      String name = reader.nextName();
      if (name.equals("content") || name.equals("output")) {
        readContent(reader, prompt);
      } else {
        reader.skipValue();
      }
    }
    reader.endObject();
  }

  /** A string, or a list of strings and of parts with a {@code text} field. */
  private static void readContent(JsonReader reader, BoundedText prompt) throws IOException {
    JsonToken token = reader.peek();
    if (token == JsonToken.STRING) {
      prompt.appendPart(reader.nextString());
      return;
    }
    if (token != JsonToken.BEGIN_ARRAY) {
      reader.skipValue();
      return;
    }
    reader.beginArray();
    while (reader.hasNext()) {
      JsonToken part = reader.peek();
      if (part == JsonToken.STRING) {
        prompt.appendPart(reader.nextString());
      } else if (part == JsonToken.BEGIN_OBJECT) {
        reader.beginObject();
        while (reader.hasNext()) {
          if (reader.nextName().equals("text")) {
            prompt.appendPart(readString(reader));
          } else {
            reader.skipValue();
          }
        }
        reader.endObject();
      } else {
        reader.skipValue();
      }
    }
    reader.endArray();
  }

  private static String readString(JsonReader reader) throws IOException {
    if (reader.peek() == JsonToken.STRING) {
      return reader.nextString();
    }
    reader.skipValue();
    return null;
  }

  private static long readLong(JsonReader reader) throws IOException {
    if (reader.peek() != JsonToken.NUMBER) {
      reader.skipValue();
      return -1;
    }
    double value = reader.nextDouble();
    return value >= 0 && !Double.isNaN(value) ? (long) value : -1;
  }

  private static final class Fields {
    String model;
    Boolean stream;
    boolean includeUsage;
    long maxTokens = -1;
    long maxCompletionTokens = -1;
    int messageCount = -1;
    boolean jsonRequested;
    final BoundedText prompt = new BoundedText(MAX_PROMPT_CHARS);
  }
}
