package dev.taskmaster.agent.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a {@link ResponseRecorder}'s capture into a {@link ResponseSummary}. Runs off the
 * application's threads, once the recording has ended.
 *
 * <p>Understands one JSON body, server-sent events ({@code data:} lines, {@code event:} lines,
 * {@code :} keep-alive comments, {@code data: [DONE]}, any of CRLF, LF or CR line ends) and
 * Ollama's newline-delimited JSON, for every {@link ApiFlavour}. The layout is sniffed from the
 * first bytes, with the content type and the request's {@code stream} flag as hints. Since it reads
 * the bytes as captured, chunks that split a line or a UTF-8 character anywhere do not matter.
 *
 * <p>Counts in a stream are snapshots: the last usage seen wins, nothing is summed; a stream
 * without usage leaves the token counts at -1. Anything it does not understand is skipped: unknown
 * fields, null fields, empty or missing {@code choices}, non-JSON lines. It never throws; a body it
 * cannot read sets {@link ResponseSummary#parseError} and keeps what was read before. A body the
 * capture limit cut, or a call cancelled mid-stream, is read as far as it goes without counting its
 * cut-off tail as an error. Stateless and safe from any thread.
 */
public final class ResponseParser {

  /** How many characters of answer text a summary keeps. */
  public static final int MAX_TEXT_CHARS = 64 * 1024;

  private static final int MAX_ERROR_CHARS = 300;

  /**
   * What an error message may quote that must not be kept: API keys, even masked ones ({@code
   * Incorrect API key provided: sk-proj-****abcd}), long tokens, and query strings of URLs.
   */
  private static final Pattern SECRET =
      Pattern.compile(
          "\\b(?:sk|pk|rk|key)-[A-Za-z0-9_*\\-]{4,}"
              + "|[A-Za-z0-9_\\-]*\\*{3,}[A-Za-z0-9_*\\-]*"
              + "|\\b[A-Za-z0-9_\\-]{32,}"
              + "|(?<=\\?)[^\\s]+");

  /** Large top-level values nobody here reads: vectors, Ollama's token context. */
  private static final Set<String> SKIPPED = Set.of("data", "embedding", "embeddings", "context");

  private ResponseParser() {}

  /**
   * @param recorded the ended recording
   * @param flavour the endpoint's flavour; {@code null} reads any of them
   * @param streaming whether the request asked for a stream (a hint for Ollama's layout)
   * @param contentType the response's {@code Content-Type}, or {@code null}
   */
  public static ResponseSummary parse(
      ResponseRecorder recorded, ApiFlavour flavour, boolean streaming, String contentType) {
    Reading reading = new Reading(recorded);
    if (recorded == null) {
      reading.parseError = true;
      return new ResponseSummary(reading);
    }
    try {
      long snapshot = recorded.snapshot();
      int size = ResponseRecorder.capturedBytes(snapshot);
      reading.marks = ResponseRecorder.markCount(snapshot);
      byte[] bytes = recorded.copyBytes(size);
      read(reading, bytes, flavour, streaming, contentType);
    } catch (RuntimeException | StackOverflowError e) {
      reading.parseError = true;
    }
    return new ResponseSummary(reading);
  }

  private static void read(
      Reading reading, byte[] bytes, ApiFlavour flavour, boolean streaming, String contentType) {
    int start = 0;
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xef
        && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf) {
      start = 3;
    }
    int first = start;
    while (first < bytes.length && isWhitespace(bytes[first])) {
      first++;
    }
    if (first == bytes.length) {
      reading.format = ResponseSummary.Format.EMPTY;
      return;
    }
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    byte lead = bytes[first];
    if (lead == '{' || lead == '[') {
      // Ollama labels its streams application/x-ndjson and whole answers application/json.
      boolean ndjson =
          type.contains("ndjson")
              || (!type.contains("json") && streaming && flavour != null && flavour.isOllama());
      if (ndjson || !readJson(reading, bytes, start)) {
        reading.reset();
        reading.format = ResponseSummary.Format.NDJSON;
        readLines(reading, bytes, start, false);
      }
    } else if (type.contains("event-stream") || startsLikeSse(bytes, first)) {
      reading.format = ResponseSummary.Format.SSE;
      readLines(reading, bytes, start, true);
    } else {
      reading.format = ResponseSummary.Format.OTHER;
      reading.parseError = true;
    }
  }

  private static boolean startsLikeSse(byte[] bytes, int at) {
    return bytes[at] == ':'
        || startsWith(bytes, at, "data:")
        || startsWith(bytes, at, "event:")
        || startsWith(bytes, at, "id:")
        || startsWith(bytes, at, "retry:");
  }

  /**
   * Reads the body as one JSON document. Returns false, having read nothing that counts, when the
   * body holds more than one value (newline-delimited JSON under a JSON content type).
   */
  private static boolean readJson(Reading reading, byte[] bytes, int start) {
    reading.format = ResponseSummary.Format.JSON;
    JsonReader reader = new JsonReader(Utf8Input.reader(bytes, start, bytes.length));
    reader.setStrictness(Strictness.LENIENT);
    JsonObject object = new JsonObject();
    boolean whole = false;
    try {
      if (reader.peek() == JsonToken.BEGIN_OBJECT) {
        readObject(reader, object);
      } else {
        reader.skipValue();
      }
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        return false;
      }
      whole = true;
    } catch (IOException | RuntimeException e) {
      if (!reading.tailMayBeCut()) {
        reading.parseError = true;
      }
    }
    reading.handle(object, ResponseRecorder.NO_TIME, null);
    reading.endSeen |= whole;
    return true;
  }

  /** Reads server-sent events ({@code sse}) or newline-delimited JSON, line by line. */
  private static void readLines(Reading reading, byte[] bytes, int start, boolean sse) {
    Event event = new Event();
    int lineStart = start;
    int i = start;
    while (lineStart < bytes.length) {
      while (i < bytes.length && bytes[i] != '\n' && bytes[i] != '\r') {
        i++;
      }
      boolean terminated = i < bytes.length;
      int lineEnd = i;
      long time = reading.timeOfLineEnd(terminated ? lineEnd + 1 : lineEnd);
      if (terminated && bytes[i] == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n') {
        i++;
      }
      i++;
      if (sse) {
        sseLine(reading, event, bytes, lineStart, lineEnd, time, !terminated);
      } else if (!isBlank(bytes, lineStart, lineEnd)) {
        reading.lastLineNanos = time;
        readPayload(reading, decode(bytes, lineStart, lineEnd), time, null, !terminated);
      }
      lineStart = i;
    }
    if (sse && event.data != null) {
      // A stream cut before the blank line that ends its last event.
      dispatch(reading, event, true);
    }
  }

  private static void sseLine(
      Reading reading, Event event, byte[] bytes, int from, int to, long time, boolean last) {
    if (from == to) {
      dispatch(reading, event, false);
      return;
    }
    if (bytes[from] == ':') {
      return;
    }
    if (bytes[from] == '{' || bytes[from] == '[') {
      // Not SSE, but some servers mix bare JSON lines (typically an error) into a stream.
      reading.lastLineNanos = time;
      readPayload(reading, decode(bytes, from, to), time, null, last);
      return;
    }
    int colon = from;
    while (colon < to && bytes[colon] != ':') {
      colon++;
    }
    int valueStart = colon < to ? colon + 1 : to;
    if (valueStart < to && bytes[valueStart] == ' ') {
      valueStart++;
    }
    int nameLength = colon - from;
    if (nameLength == 4 && startsWith(bytes, from, "data")) {
      String value = decode(bytes, valueStart, to);
      event.data = event.data == null ? value : event.data + "\n" + value;
      event.time = time;
      event.cut = last;
      reading.lastLineNanos = time;
    } else if (nameLength == 5 && startsWith(bytes, from, "event")) {
      event.name = decode(bytes, valueStart, to);
    }
    // "id", "retry" and unknown fields are ignored, as the SSE specification says.
  }

  private static void dispatch(Reading reading, Event event, boolean cut) {
    if (event.data != null) {
      readPayload(reading, event.data, event.time, event.name, cut || event.cut);
    }
    event.data = null;
    event.name = null;
    event.cut = false;
  }

  /** One SSE {@code data} payload or one NDJSON line: JSON values, or {@code [DONE]}. */
  private static void readPayload(
      Reading reading, String payload, long time, String eventName, boolean cut) {
    String trimmed = payload.trim();
    if (trimmed.isEmpty()) {
      return;
    }
    if (trimmed.equals("[DONE]")) {
      reading.endSeen = true;
      return;
    }
    char lead = trimmed.charAt(0);
    if (lead != '{' && lead != '[') {
      if (!(cut && reading.tailMayBeCut())) {
        reading.parseError = true;
      }
      return;
    }
    if (reading.payloads != null || !reading.payloadsFailed) {
      if (reading.payloads == null) {
        reading.payloads = new PayloadStream();
      }
      List<JsonObject> objects = reading.payloads.read(trimmed);
      if (objects != null) {
        for (JsonObject object : objects) {
          reading.handle(object, time, eventName);
        }
        return;
      }
      // This payload did not read cleanly in the shared reader: it and every later one are read
      // on their own, as before, so that what a broken payload leaves behind is the same.
      reading.payloads = null;
      reading.payloadsFailed = true;
    }
    JsonReader reader = new JsonReader(new StringReader(trimmed));
    reader.setStrictness(Strictness.LENIENT);
    try {
      while (reader.peek() != JsonToken.END_DOCUMENT) {
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
          reader.skipValue();
          continue;
        }
        JsonObject object = new JsonObject();
        try {
          readObject(reader, object);
        } finally {
          reading.handle(object, time, eventName);
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!(cut && reading.tailMayBeCut())) {
        reading.parseError = true;
      }
    }
  }

  /**
   * One lenient {@link JsonReader} for all the payloads of a response, instead of one per payload
   * (its 1 KiB buffer and stacks were half of what parsing a streamed chunk allocated). Each
   * payload is fed followed by a separator value, and read up to that separator; the reader never
   * sees past it, so payloads are read one by one as they are dispatched.
   */
  private static final class PayloadStream extends Reader {
    // A top-level string no payload of a model server sends on its own.
    private static final String SEPARATOR = "\u0001taskmaster-payload-end\u0001";
    private static final String FED_SEPARATOR = "\n\"" + SEPARATOR + "\"\n";

    private final JsonReader reader = new JsonReader(this);
    private String current = "";
    private int position;
    private boolean separatorFed = true;

    PayloadStream() {
      reader.setStrictness(Strictness.LENIENT);
    }

    /** The payload's top-level objects in order, or {@code null} if it did not read cleanly. */
    List<JsonObject> read(String payload) {
      current = payload;
      position = 0;
      separatorFed = false;
      List<JsonObject> objects = new ArrayList<>(1);
      try {
        while (true) {
          JsonToken token = reader.peek();
          if (token == JsonToken.STRING) {
            if (SEPARATOR.equals(reader.nextString())) {
              return position == current.length() && separatorFed ? objects : null;
            }
          } else if (token == JsonToken.BEGIN_OBJECT) {
            JsonObject object = new JsonObject();
            readObject(reader, object);
            objects.add(object);
          } else if (token == JsonToken.END_DOCUMENT) {
            return null;
          } else {
            reader.skipValue();
          }
        }
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }

    @Override
    public int read(char[] into, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      if (position == current.length()) {
        if (separatorFed) {
          // Asked past the separator: the payload was incomplete. Reading stops here.
          return -1;
        }
        current = FED_SEPARATOR;
        position = 0;
        separatorFed = true;
      }
      int n = Math.min(length, current.length() - position);
      current.getChars(position, position + n, into, offset);
      position += n;
      return n;
    }

    @Override
    public void close() {}
  }

  /** Reads one object's fields into {@code into}, skipping bulky ones; keeps them on failure. */
  private static void readObject(JsonReader reader, JsonObject into) throws IOException {
    reader.beginObject();
    while (reader.hasNext()) {
      String name = reader.nextName();
      if (SKIPPED.contains(name)) {
        reader.skipValue();
      } else {
        into.add(name, JsonParser.parseReader(reader));
      }
    }
    reader.endObject();
  }

  private static String decode(byte[] bytes, int from, int to) {
    return new String(bytes, from, to - from, StandardCharsets.UTF_8);
  }

  private static boolean startsWith(byte[] bytes, int at, String prefix) {
    if (bytes.length - at < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (bytes[at + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isBlank(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!isWhitespace(bytes[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }

  /** The SSE event being assembled. */
  private static final class Event {
    String name;
    String data;
    long time = ResponseRecorder.NO_TIME;
    boolean cut;
  }

  /** Everything learned so far; becomes a {@link ResponseSummary}. */
  static final class Reading {
    private final ResponseRecorder recorder;
    final long timeToFirstByteNanos;
    final long durationNanos;
    final boolean overflowed;
    final long totalBytes;
    final ResponseRecorder.Outcome outcome;
    final String failure;
    int marks;
    private int markCursor;
    // The shared reader of this response's payloads; once one failed, each is read on its own.
    PayloadStream payloads;
    boolean payloadsFailed;

    ResponseSummary.Format format = ResponseSummary.Format.EMPTY;
    String id;
    String model;
    BoundedText text = new BoundedText(MAX_TEXT_CHARS);
    BoundedText finalText = new BoundedText(MAX_TEXT_CHARS);
    String finishReason;
    String responsesStatus;
    String incompleteReason;
    int toolCalls;
    int finalToolCalls;
    private Set<Long> toolCallKeys;
    long inputTokens = -1;
    long outputTokens = -1;
    long cachedInputTokens = -1;
    long reasoningTokens = -1;
    long serverTotalNanos = -1;
    long serverLoadNanos = -1;
    long serverPromptEvalNanos = -1;
    long serverEvalNanos = -1;
    long firstTokenNanos = ResponseRecorder.NO_TIME;
    long lastLineNanos = ResponseRecorder.NO_TIME;
    String errorType;
    String errorMessage;
    int events;
    boolean endSeen;
    boolean parseError;

    Reading(ResponseRecorder recorder) {
      this.recorder = recorder;
      boolean ended = recorder != null && recorder.isEnded();
      this.timeToFirstByteNanos = recorder == null ? -1 : recorder.timeToFirstByteNanos();
      this.durationNanos = ended ? recorder.durationNanos() : -1;
      this.overflowed = recorder != null && recorder.overflowed();
      this.totalBytes = recorder == null ? 0 : recorder.totalBytes();
      this.outcome = recorder == null ? ResponseRecorder.Outcome.OPEN : recorder.outcome();
      this.failure = recorder == null ? null : recorder.failure();
    }

    /** Forgets what was read, to read the same bytes again another way. */
    void reset() {
      payloads = null;
      payloadsFailed = false;
      markCursor = 0;
      id = null;
      model = null;
      text = new BoundedText(MAX_TEXT_CHARS);
      finalText = new BoundedText(MAX_TEXT_CHARS);
      finishReason = null;
      responsesStatus = null;
      incompleteReason = null;
      toolCalls = 0;
      finalToolCalls = 0;
      toolCallKeys = null;
      inputTokens = outputTokens = cachedInputTokens = reasoningTokens = -1;
      serverTotalNanos = serverLoadNanos = serverPromptEvalNanos = serverEvalNanos = -1;
      firstTokenNanos = lastLineNanos = ResponseRecorder.NO_TIME;
      errorType = errorMessage = null;
      events = 0;
      endSeen = parseError = false;
    }

    /** Whether the capture may end mid-value without the server being at fault. */
    boolean tailMayBeCut() {
      return overflowed || outcome != ResponseRecorder.Outcome.COMPLETED;
    }

    /**
     * When the line ending just before {@code offset} had arrived: the time of the first chunk
     * whose last line end is at or after it; the end of the recording when no such chunk was marked
     * (an unterminated last line, or more chunks than marks kept).
     */
    long timeOfLineEnd(int offset) {
      while (markCursor < marks && recorder.markOffset(markCursor) < offset) {
        markCursor++;
      }
      if (markCursor < marks) {
        return recorder.markNanos(markCursor);
      }
      return recorder.isEnded() ? recorder.endNanos() : ResponseRecorder.NO_TIME;
    }

    /** One JSON object: a whole body, an event's data, or a line. */
    void handle(JsonObject o, long time, String eventName) {
      if (o.size() == 0) {
        return;
      }
      events++;
      readError(o.get("error"));
      String type = string(o, "type");
      if (type == null) {
        type = eventName;
      }
      if (type != null && (type.startsWith("response.") || type.equals("error"))) {
        responsesEvent(type, o, time);
        return;
      }
      if (id == null) {
        id = string(o, "id");
      }
      if (model == null) {
        model = string(o, "model");
      }
      JsonArray choices = array(o, "choices");
      if (choices != null) {
        for (int i = 0; i < choices.size(); i++) {
          JsonElement choice = choices.get(i);
          if (choice instanceof JsonObject) {
            choice((JsonObject) choice, i, time);
          }
        }
      }
      readUsage(object(o, "usage"));
      ollama(o, time);
      if ("response".equals(string(o, "object")) || array(o, "output") != null) {
        responseObject(o);
      }
    }

    /** An OpenAI chat or completions choice, whole or streamed. */
    private void choice(JsonObject choice, int position, long time) {
      long index = number(choice, "index");
      if (index < 0) {
        index = position;
      }
      boolean primary = index == 0;
      JsonObject delta = object(choice, "delta");
      if (delta != null) {
        String content = string(delta, "content");
        if (primary) {
          text.append(content);
        }
        if (notEmpty(content)
            || notEmpty(string(delta, "refusal"))
            || notEmpty(string(delta, "reasoning_content"))
            || notEmpty(string(delta, "reasoning"))) {
          token(time);
        }
        JsonArray calls = array(delta, "tool_calls");
        if (calls != null) {
          for (JsonElement call : calls) {
            if (call instanceof JsonObject) {
              streamedToolCall(index, (JsonObject) call, time);
            }
          }
        }
        JsonObject function = object(delta, "function_call");
        if (function != null && string(function, "name") != null) {
          // The legacy single function call: its first fragment carries the name.
          toolCalls++;
          token(time);
        }
      }
      JsonObject message = object(choice, "message");
      if (message != null) {
        if (primary) {
          appendContent(text, message.get("content"));
        }
        JsonArray calls = array(message, "tool_calls");
        if (calls != null) {
          toolCalls += calls.size();
        }
        if (object(message, "function_call") != null) {
          toolCalls++;
        }
      }
      String completion = string(choice, "text");
      if (completion != null) {
        if (primary) {
          text.append(completion);
        }
        if (!completion.isEmpty()) {
          token(time);
        }
      }
      String reason = string(choice, "finish_reason");
      if (reason != null && primary) {
        finishReason = reason;
      }
    }

    /** A streamed tool-call fragment: a new call has a new index (or, lacking one, an id). */
    private void streamedToolCall(long choiceIndex, JsonObject call, long time) {
      long index = number(call, "index");
      boolean isNew;
      if (index >= 0) {
        if (toolCallKeys == null) {
          toolCallKeys = new HashSet<>();
        }
        isNew = toolCallKeys.add((choiceIndex << 32) | (index & 0xffffffffL));
      } else {
        isNew = string(call, "id") != null;
      }
      if (isNew) {
        toolCalls++;
      }
      token(time);
    }

    /** Ollama's fields; each streamed line is a delta, the last one carries the counts. */
    private void ollama(JsonObject o, long time) {
      JsonObject message = object(o, "message");
      if (message != null) {
        String content = string(message, "content");
        text.append(content);
        JsonArray calls = array(message, "tool_calls");
        if (calls != null) {
          toolCalls += calls.size();
        }
        if (notEmpty(content)
            || notEmpty(string(message, "thinking"))
            || (calls != null && calls.size() > 0)) {
          token(time);
        }
      }
      String response = string(o, "response");
      if (response != null) {
        text.append(response);
      }
      if (notEmpty(response) || notEmpty(string(o, "thinking"))) {
        token(time);
      }
      String doneReason = string(o, "done_reason");
      if (doneReason != null) {
        finishReason = doneReason;
      }
      JsonElement done = o.get("done");
      if (done instanceof JsonPrimitive && ((JsonPrimitive) done).isBoolean()) {
        endSeen |= done.getAsBoolean();
      }
      inputTokens = numberOr(o, "prompt_eval_count", inputTokens);
      outputTokens = numberOr(o, "eval_count", outputTokens);
      serverTotalNanos = numberOr(o, "total_duration", serverTotalNanos);
      serverLoadNanos = numberOr(o, "load_duration", serverLoadNanos);
      serverPromptEvalNanos = numberOr(o, "prompt_eval_duration", serverPromptEvalNanos);
      serverEvalNanos = numberOr(o, "eval_duration", serverEvalNanos);
    }

    /** A streamed Responses API event. */
    private void responsesEvent(String type, JsonObject o, long time) {
      switch (type) {
        case "response.output_text.delta":
          String delta = string(o, "delta");
          text.append(delta);
          if (notEmpty(delta)) {
            token(time);
          }
          break;
        case "response.refusal.delta":
        case "response.reasoning_text.delta":
        case "response.reasoning_summary_text.delta":
        case "response.function_call_arguments.delta":
          if (notEmpty(string(o, "delta"))) {
            token(time);
          }
          break;
        case "response.output_item.added":
          if (isToolCall(object(o, "item"))) {
            toolCalls++;
            token(time);
          }
          break;
        case "response.completed":
        case "response.incomplete":
        case "response.failed":
          endSeen = true;
          JsonObject finished = object(o, "response");
          if (finished != null) {
            responseObject(finished);
          }
          break;
        case "error":
          if (errorType == null && errorMessage == null) {
            errorType = firstNonNull(string(o, "code"), string(o, "type"));
            errorMessage = shortened(string(o, "message"));
          }
          break;
        default:
          JsonObject response = object(o, "response");
          if (response != null) {
            // response.created, response.in_progress, ...: identity only.
            if (id == null) {
              id = string(response, "id");
            }
            if (model == null) {
              model = string(response, "model");
            }
          }
      }
    }

    /** A whole Responses API object: a body, or the one inside a final event. */
    private void responseObject(JsonObject response) {
      if (id == null) {
        id = string(response, "id");
      }
      if (model == null) {
        model = string(response, "model");
      }
      String status = string(response, "status");
      if (status != null) {
        responsesStatus = status;
        JsonObject details = object(response, "incomplete_details");
        incompleteReason = details == null ? null : string(details, "reason");
      }
      readUsage(object(response, "usage"));
      readError(response.get("error"));
      JsonArray output = array(response, "output");
      if (output == null) {
        return;
      }
      BoundedText collected = new BoundedText(MAX_TEXT_CHARS);
      int calls = 0;
      for (JsonElement element : output) {
        if (!(element instanceof JsonObject)) {
          continue;
        }
        JsonObject item = (JsonObject) element;
        if (isToolCall(item)) {
          calls++;
        }
        JsonArray content = array(item, "content");
        if ("message".equals(string(item, "type")) && content != null) {
          for (JsonElement part : content) {
            if (part instanceof JsonObject
                && "output_text".equals(string((JsonObject) part, "type"))) {
              collected.append(string((JsonObject) part, "text"));
            }
          }
        }
      }
      finalText = collected;
      finalToolCalls = calls;
    }

    private static boolean isToolCall(JsonObject item) {
      String type = item == null ? null : string(item, "type");
      return "function_call".equals(type) || "custom_tool_call".equals(type);
    }

    /** Usage is a snapshot: each one replaces the fields it carries. */
    private void readUsage(JsonObject usage) {
      if (usage == null) {
        return;
      }
      inputTokens = numberOr(usage, "prompt_tokens", inputTokens);
      inputTokens = numberOr(usage, "input_tokens", inputTokens);
      outputTokens = numberOr(usage, "completion_tokens", outputTokens);
      outputTokens = numberOr(usage, "output_tokens", outputTokens);
      JsonObject in =
          firstNonNull(
              object(usage, "prompt_tokens_details"), object(usage, "input_tokens_details"));
      if (in != null) {
        cachedInputTokens = numberOr(in, "cached_tokens", cachedInputTokens);
      }
      JsonObject out =
          firstNonNull(
              object(usage, "completion_tokens_details"), object(usage, "output_tokens_details"));
      if (out != null) {
        reasoningTokens = numberOr(out, "reasoning_tokens", reasoningTokens);
      }
    }

    /** {@code "error": {"message": ..., "code": ..., "type": ...}} or {@code "error": "..."}. */
    private void readError(JsonElement error) {
      if (error == null || error.isJsonNull() || errorType != null || errorMessage != null) {
        return;
      }
      if (error instanceof JsonObject) {
        JsonObject details = (JsonObject) error;
        errorType = firstNonNull(string(details, "code"), string(details, "type"));
        errorMessage = shortened(string(details, "message"));
        if (errorType == null && errorMessage == null) {
          errorType = "error";
        }
      } else if (error instanceof JsonPrimitive && ((JsonPrimitive) error).isString()) {
        errorMessage = shortened(error.getAsString());
      }
    }

    private void token(long time) {
      if (firstTokenNanos == ResponseRecorder.NO_TIME && time != ResponseRecorder.NO_TIME) {
        firstTokenNanos = time;
      }
    }

    String resultText() {
      return text.length() > 0 || !finalText.isPresent() ? text.value() : finalText.value();
    }

    long resultTextLength() {
      BoundedText chosen = text.length() > 0 || !finalText.isPresent() ? text : finalText;
      return chosen.isPresent() ? chosen.length() : -1;
    }

    String resultFinishReason() {
      if (responsesStatus == null) {
        return finishReason;
      }
      switch (responsesStatus) {
        case "completed":
          return Math.max(toolCalls, finalToolCalls) > 0 ? "tool_calls" : "stop";
        case "incomplete":
          if ("max_output_tokens".equals(incompleteReason)) {
            return "length";
          }
          return incompleteReason != null ? incompleteReason : "incomplete";
        default:
          return responsesStatus;
      }
    }

    long resultTimeToFirstToken() {
      if (firstTokenNanos == ResponseRecorder.NO_TIME || recorder == null) {
        return -1;
      }
      return Math.max(0, firstTokenNanos - recorder.startNanos());
    }

    double resultOutputTokensPerSecond() {
      if (outputTokens > 0 && serverEvalNanos > 0) {
        return outputTokens * 1e9 / serverEvalNanos;
      }
      if (outputTokens > 0
          && firstTokenNanos != ResponseRecorder.NO_TIME
          && lastLineNanos != ResponseRecorder.NO_TIME
          && lastLineNanos > firstTokenNanos) {
        return outputTokens * 1e9 / (lastLineNanos - firstTokenNanos);
      }
      return -1;
    }

    private static void appendContent(BoundedText into, JsonElement content) {
      if (content instanceof JsonPrimitive && ((JsonPrimitive) content).isString()) {
        into.append(content.getAsString());
      } else if (content instanceof JsonArray) {
        for (JsonElement part : (JsonArray) content) {
          if (part instanceof JsonObject) {
            into.append(string((JsonObject) part, "text"));
          }
        }
      }
    }

    private static String shortened(String message) {
      if (message == null) {
        return null;
      }
      String trimmed = SECRET.matcher(message.trim()).replaceAll("[redacted]");
      return trimmed.length() <= MAX_ERROR_CHARS
          ? trimmed
          : trimmed.substring(0, MAX_ERROR_CHARS) + "...";
    }

    private static boolean notEmpty(String value) {
      return value != null && !value.isEmpty();
    }

    private static <T> T firstNonNull(T a, T b) {
      return a != null ? a : b;
    }

    private static String string(JsonObject o, String name) {
      JsonElement value = o.get(name);
      return value instanceof JsonPrimitive && ((JsonPrimitive) value).isString()
          ? value.getAsString()
          : null;
    }

    private static JsonObject object(JsonObject o, String name) {
      JsonElement value = o.get(name);
      return value instanceof JsonObject ? (JsonObject) value : null;
    }

    private static JsonArray array(JsonObject o, String name) {
      JsonElement value = o.get(name);
      return value instanceof JsonArray ? (JsonArray) value : null;
    }

    /** A non-negative whole number, or -1. */
    private static long number(JsonObject o, String name) {
      JsonElement value = o.get(name);
      if (!(value instanceof JsonPrimitive) || !((JsonPrimitive) value).isNumber()) {
        return -1;
      }
      try {
        double number = value.getAsDouble();
        return number >= 0 && number <= Long.MAX_VALUE ? (long) number : -1;
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    private static long numberOr(JsonObject o, String name, long otherwise) {
      long value = number(o, name);
      return value >= 0 ? value : otherwise;
    }
  }
}
