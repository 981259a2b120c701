package dev.taskmaster.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.http.ResponseRecorder.Outcome;
import dev.taskmaster.agent.http.ResponseSummary.Format;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** One payload per flavour and layout, recorded from real servers' shapes. */
class ResponseParserTest {

  static final long T0 = 5_000_000_000L;
  static final long MS = 1_000_000L;

  private static final String SSE = "text/event-stream; charset=utf-8";
  private static final String JSON = "application/json";
  private static final String NDJSON = "application/x-ndjson";

  // ---- OpenAI chat completions ----

  @Test
  void openAiChatWholeResponse() {
    ResponseSummary summary =
        parse(
            ApiFlavour.OPENAI_CHAT,
            false,
            JSON,
            """
            {
              "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
              "object": "chat.completion",
              "created": 1741569952,
              "model": "gpt-4.1-2025-04-14",
              "choices": [
                {
                  "index": 0,
                  "message": {
                    "role": "assistant",
                    "content": "Hello! How can I assist you today?",
                    "refusal": null,
                    "annotations": []
                  },
                  "logprobs": null,
                  "finish_reason": "stop"
                }
              ],
              "usage": {
                "prompt_tokens": 19,
                "completion_tokens": 10,
                "total_tokens": 29,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                  "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
              },
              "service_tier": "default"
            }
            """);
    assertEquals(Format.JSON, summary.format);
    assertEquals("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", summary.id);
    assertEquals("gpt-4.1-2025-04-14", summary.model);
    assertEquals("Hello! How can I assist you today?", summary.text);
    assertEquals(34, summary.textLength);
    assertEquals("stop", summary.finishReason);
    assertEquals(19, summary.inputTokens);
    assertEquals(10, summary.outputTokens);
    assertEquals(0, summary.cachedInputTokens);
    assertEquals(0, summary.reasoningTokens);
    assertEquals(0, summary.toolCalls);
    assertEquals(-1, summary.timeToFirstTokenNanos, "a whole response has no first token");
    assertEquals(-1.0, summary.outputTokensPerSecond);
    assertEquals(MS, summary.timeToFirstByteNanos);
    assertEquals(2 * MS, summary.durationNanos);
    assertTrue(summary.endSeen);
    assertFalse(summary.parseError);
    assertFalse(summary.hasError());
    assertFalse(summary.streamed());
    assertEquals(Outcome.COMPLETED, summary.outcome);
  }

  @Test
  void openAiChatWholeResponseWithToolCalls() {
    ResponseSummary summary =
        parse(
            ApiFlavour.OPENAI_CHAT,
            false,
            JSON,
            """
            {"id":"chatcmpl-abc123","object":"chat.completion","created":1699896916,
             "model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant",
             "content":null,"tool_calls":[
               {"id":"call_1","type":"function","function":{"name":"get_weather",
                "arguments":"{\\"location\\": \\"Boston, MA\\"}"}},
               {"id":"call_2","type":"function","function":{"name":"get_time",
                "arguments":"{}"}}]},
             "logprobs":null,"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":82,"completion_tokens":17,"total_tokens":99}}
            """);
    assertEquals(2, summary.toolCalls);
    assertEquals("tool_calls", summary.finishReason);
    assertNull(summary.text);
    assertEquals(-1, summary.textLength);
    assertEquals(17, summary.outputTokens);
  }

  @Test
  void openAiChatStreamWithUsageAndKeepAlives() {
    ResponseRecorder recorded =
        recorded(
            ": OPENROUTER PROCESSING\n\n",
            chatChunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null) + "\n\n",
            chatChunk("{\"content\":\"Hel\"}", null) + "\n\n",
            ": keep-alive\n\n" + chatChunk("{\"content\":\"lo\"}", null) + "\n\n",
            chatChunk("{\"content\":\" there\"}", null) + "\n\n",
            chatChunk("{}", "\"stop\"") + "\n\n",
            "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,"
                + "\"completion_tokens\":3,\"total_tokens\":12,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":4}}}\n\n",
            "data: [DONE]\n\n");
    ResponseSummary summary = ResponseParser.parse(recorded, ApiFlavour.OPENAI_CHAT, true, SSE);
    assertEquals(Format.SSE, summary.format);
    assertEquals("chatcmpl-1", summary.id);
    assertEquals("gpt-4o-mini", summary.model);
    assertEquals("Hello there", summary.text);
    assertEquals("stop", summary.finishReason);
    assertEquals(9, summary.inputTokens);
    assertEquals(3, summary.outputTokens);
    assertEquals(4, summary.cachedInputTokens);
    assertEquals(3 * MS, summary.timeToFirstTokenNanos, "the first non-empty content");
    // 3 tokens from the first token (3 ms) to the last data line (8 ms).
    assertEquals(3 / 0.005, summary.outputTokensPerSecond, 1e-6);
    assertEquals(6, summary.events);
    assertTrue(summary.endSeen);
    assertFalse(summary.parseError);
    assertTrue(summary.streamed());
  }

  @Test
  void aStreamWithoutUsageHasUnknownTokensNotZero() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_CHAT,
            SSE,
            chatChunk("{\"role\":\"assistant\",\"content\":\"\"}", null) + "\n\n",
            chatChunk("{\"content\":\"Hi\"}", null) + "\n\n",
            chatChunk("{}", "\"stop\"") + "\n\ndata: [DONE]\n\n");
    assertEquals("Hi", summary.text);
    assertEquals(-1, summary.inputTokens);
    assertEquals(-1, summary.outputTokens);
    assertEquals(-1.0, summary.outputTokensPerSecond);
    assertEquals(2 * MS, summary.timeToFirstTokenNanos);
  }

  @Test
  void finishReasonNullInEveryChunkIsFine() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_CHAT,
            SSE,
            chatChunk("{\"role\":\"assistant\",\"content\":\"A\"}", null) + "\n\n",
            chatChunk("{\"content\":\"B\"}", null) + "\n\n",
            chatChunk("{\"content\":null}", null) + "\n\n",
            "data: [DONE]\n\n");
    assertEquals("AB", summary.text);
    assertNull(summary.finishReason);
    assertFalse(summary.parseError);
    assertTrue(summary.endSeen);
  }

  @Test
  void oddChunkShapesAreSkipped() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_CHAT,
            SSE,
            "data: {\"id\":\"x\",\"choices\":[]}\n\n",
            "data: {\"id\":\"x\"}\n\n",
            "data: {\"choices\":null,\"usage\":null}\n\n",
            "data: {\"choices\":[null,1,\"a\",{\"delta\":null},{\"index\":0,\"delta\":{\"content\":"
                + "7}}]}\n\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\",\"extra\":[1,{}]},"
                + "\"future_field\":{\"a\":null}}],\"usage\":{\"completion_tokens\":\"3\"}}\n\n",
            "data: {\"choices\":{\"0\":1},\"error\":null}\n\n",
            "data: 42\n\n",
            "data: [1,2]\n\n",
            "data: {}\n\n",
            "data: [DONE]\n\n");
    assertEquals("ok", summary.text);
    assertEquals("x", summary.id);
    assertEquals(-1, summary.outputTokens);
    assertFalse(summary.hasError());
    assertTrue(summary.parseError, "the bare number is not JSON an object");
  }

  @Test
  void multipleUsageSnapshotsAreNotSummed() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_CHAT,
            SSE,
            usageChunk("{\"content\":\"a\"}", 5, 1) + "\n\n",
            usageChunk("{\"content\":\"b\"}", 5, 2) + "\n\n",
            usageChunk("{\"content\":\"c\"}", 5, 3) + "\n\n",
            "data: [DONE]\n\n");
    assertEquals(5, summary.inputTokens);
    assertEquals(3, summary.outputTokens);
    assertEquals("abc", summary.text);
  }

  @Test
  void streamedToolCallsAreCountedByIndex() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_CHAT,
            SSE,
            chatChunk("{\"role\":\"assistant\",\"content\":null}", null) + "\n\n",
            chatChunk(
                    "{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}",
                    null)
                + "\n\n",
            chatChunk(
                    "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"loc\"}}]}",
                    null)
                + "\n\n",
            chatChunk(
                    "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\":1}\"}}]}",
                    null)
                + "\n\n",
            chatChunk(
                    "{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}}]}",
                    null)
                + "\n\n",
            chatChunk("{}", "\"tool_calls\"") + "\n\ndata: [DONE]\n\n");
    assertEquals(2, summary.toolCalls);
    assertEquals("tool_calls", summary.finishReason);
    assertEquals(2 * MS, summary.timeToFirstTokenNanos, "a tool call is a first token");
    assertEquals(-1, summary.textLength);
  }

  @Test
  void onlyTheFirstChoiceMakesTheText() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_CHAT,
            SSE,
            "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"}},"
                + "{\"index\":0,\"delta\":{\"content\":\"first\"}}]}\n\n",
            "data: {\"choices\":[{\"index\":1,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
    assertEquals("first", summary.text);
    assertEquals("stop", summary.finishReason);
  }

  @Test
  void reasoningCountsForTheFirstTokenButNotTheText() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_CHAT,
            SSE,
            chatChunk("{\"role\":\"assistant\",\"content\":\"\"}", null) + "\n\n",
            chatChunk("{\"reasoning_content\":\"Let me think\"}", null) + "\n\n",
            chatChunk("{\"content\":\"42\"}", null) + "\n\n",
            "data: [DONE]\n\n");
    assertEquals("42", summary.text);
    assertEquals(2 * MS, summary.timeToFirstTokenNanos);
  }

  @Test
  void openAiErrorBodyGivesAShortRedactedMessage() {
    ResponseSummary summary =
        parse(
            ApiFlavour.OPENAI_CHAT,
            false,
            JSON,
            """
            {
                "error": {
                    "message": "Incorrect API key provided: sk-proj-********************abcd. \
            You can find your API key at https://platform.openai.com/account/api-keys?x=y.",
                    "type": "invalid_request_error",
                    "param": null,
                    "code": "invalid_api_key"
                }
            }
            """);
    assertTrue(summary.hasError());
    assertEquals("invalid_api_key", summary.errorType);
    assertEquals(
        "Incorrect API key provided: [redacted]. You can find your API key at"
            + " https://platform.openai.com/account/api-keys?[redacted]",
        summary.errorMessage);
    assertFalse(summary.parseError);
  }

  @Test
  void anErrorInTheMiddleOfAStream() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_CHAT,
            SSE,
            chatChunk("{\"content\":\"par\"}", null) + "\n\n",
            "data: {\"error\":{\"message\":\""
                + "overloaded ".repeat(50)
                + "\","
                + "\"type\":\"server_error\",\"code\":null}}\n\n");
    assertEquals("server_error", summary.errorType);
    assertTrue(summary.errorMessage.length() <= 303, summary.errorMessage);
    assertEquals("par", summary.text);
    assertFalse(summary.endSeen);
  }

  // ---- Legacy completions and embeddings ----

  @Test
  void legacyCompletionsStream() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_COMPLETIONS,
            SSE,
            "data: {\"id\":\"cmpl-7iA7iJjj8V2zOkCGvWF2hAkDWBQZe\",\"object\":\"text_completion\","
                + "\"created\":1690759702,\"choices\":[{\"text\":\"This\",\"index\":0,"
                + "\"logprobs\":null,\"finish_reason\":null}],\"model\":\"gpt-3.5-turbo-instruct\"}"
                + "\n\n",
            "data: {\"id\":\"cmpl-7iA7iJjj8V2zOkCGvWF2hAkDWBQZe\",\"object\":\"text_completion\","
                + "\"created\":1690759702,\"choices\":[{\"text\":\" is\",\"index\":0,"
                + "\"logprobs\":null,\"finish_reason\":\"length\"}],"
                + "\"model\":\"gpt-3.5-turbo-instruct\"}\n\n",
            "data: [DONE]\n\n");
    assertEquals("This is", summary.text);
    assertEquals("length", summary.finishReason);
    assertEquals("cmpl-7iA7iJjj8V2zOkCGvWF2hAkDWBQZe", summary.id);
    assertEquals(MS, summary.timeToFirstTokenNanos);
  }

  @Test
  void legacyCompletionsWhole() {
    ResponseSummary summary =
        parse(
            ApiFlavour.OPENAI_COMPLETIONS,
            false,
            JSON,
            "{\"id\":\"cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7\",\"object\":\"text_completion\","
                + "\"created\":1589478378,\"model\":\"gpt-3.5-turbo-instruct\","
                + "\"choices\":[{\"text\":\"\\n\\nThis is indeed a test\",\"index\":0,"
                + "\"logprobs\":null,\"finish_reason\":\"length\"}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}");
    assertEquals("\n\nThis is indeed a test", summary.text);
    assertEquals(7, summary.outputTokens);
  }

  @Test
  void openAiEmbeddings() {
    ResponseSummary summary =
        parse(
            ApiFlavour.OPENAI_EMBEDDINGS,
            false,
            JSON,
            """
            {"object":"list","data":[{"object":"embedding","index":0,
             "embedding":[0.0023064255,-0.009327292,-0.0028842222]},
             {"object":"embedding","index":1,"embedding":[0.1,0.2,0.3]}],
             "model":"text-embedding-3-small","usage":{"prompt_tokens":8,"total_tokens":8}}
            """);
    assertEquals("text-embedding-3-small", summary.model);
    assertEquals(8, summary.inputTokens);
    assertEquals(-1, summary.outputTokens);
    assertNull(summary.text);
    assertNull(summary.finishReason);
    assertFalse(summary.parseError);
  }

  // ---- Responses API ----

  @Test
  void responsesWhole() {
    ResponseSummary summary =
        parse(
            ApiFlavour.OPENAI_RESPONSES,
            false,
            JSON,
            """
            {"id":"resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b","object":"response",
             "created_at":1741476542,"status":"completed","error":null,
             "incomplete_details":null,"instructions":null,"max_output_tokens":null,
             "model":"gpt-4.1-2025-04-14","output":[
               {"type":"reasoning","id":"rs_1","summary":[]},
               {"type":"message","id":"msg_67ccd2bf17f0819081ff3bb2cf6508e6","status":"completed",
                "role":"assistant","content":[{"type":"output_text",
                "text":"In a peaceful grove beneath a silver moon...","annotations":[]}]}],
             "parallel_tool_calls":true,"previous_response_id":null,
             "reasoning":{"effort":null,"summary":null},"store":true,"temperature":1.0,
             "text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,
             "truncation":"disabled","usage":{"input_tokens":36,
             "input_tokens_details":{"cached_tokens":0},"output_tokens":87,
             "output_tokens_details":{"reasoning_tokens":64},"total_tokens":123},
             "user":null,"metadata":{}}
            """);
    assertEquals("resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b", summary.id);
    assertEquals("In a peaceful grove beneath a silver moon...", summary.text);
    assertEquals("stop", summary.finishReason);
    assertEquals(36, summary.inputTokens);
    assertEquals(87, summary.outputTokens);
    assertEquals(64, summary.reasoningTokens);
    assertFalse(summary.hasError());
  }

  @Test
  void responsesIncompleteAtTheLimitIsLength() {
    ResponseSummary summary =
        parse(
            ApiFlavour.OPENAI_RESPONSES,
            false,
            JSON,
            "{\"id\":\"resp_2\",\"object\":\"response\",\"status\":\"incomplete\","
                + "\"incomplete_details\":{\"reason\":\"max_output_tokens\"},\"model\":\"o4-mini\","
                + "\"output\":[{\"type\":\"reasoning\",\"id\":\"rs_2\",\"summary\":[]}],"
                + "\"usage\":{\"input_tokens\":20,\"output_tokens\":16}}");
    assertEquals("length", summary.finishReason);
    assertNull(summary.text);
  }

  @Test
  void responsesFunctionCallsAreToolCalls() {
    ResponseSummary summary =
        parse(
            ApiFlavour.OPENAI_RESPONSES,
            false,
            JSON,
            "{\"id\":\"resp_3\",\"object\":\"response\",\"status\":\"completed\",\"output\":["
                + "{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\","
                + "\"name\":\"get_weather\",\"arguments\":\"{}\",\"status\":\"completed\"}],"
                + "\"usage\":{\"input_tokens\":291,\"output_tokens\":23}}");
    assertEquals(1, summary.toolCalls);
    assertEquals("tool_calls", summary.finishReason);
  }

  @Test
  void responsesStream() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_RESPONSES,
            SSE,
            "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,"
                + "\"response\":{\"id\":\"resp_9\",\"object\":\"response\",\"created_at\":1,"
                + "\"status\":\"in_progress\",\"error\":null,\"model\":\"gpt-4.1-mini\","
                + "\"output\":[],\"usage\":null}}\n\n"
                + "event: response.in_progress\ndata: {\"type\":\"response.in_progress\","
                + "\"sequence_number\":1,\"response\":{\"id\":\"resp_9\",\"status\":\"in_progress\","
                + "\"output\":[],\"usage\":null}}\n\n",
            "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\","
                + "\"sequence_number\":2,\"output_index\":0,\"item\":{\"id\":\"msg_9\","
                + "\"type\":\"message\",\"status\":\"in_progress\",\"role\":\"assistant\","
                + "\"content\":[]}}\n\n"
                + "event: response.content_part.added\ndata: {\"type\":"
                + "\"response.content_part.added\",\"sequence_number\":3,\"item_id\":\"msg_9\","
                + "\"output_index\":0,\"content_index\":0,\"part\":{\"type\":\"output_text\","
                + "\"text\":\"\",\"annotations\":[]}}\n\n",
            textDelta(4, "Hi"),
            textDelta(5, " there"),
            "event: response.output_text.done\ndata: {\"type\":\"response.output_text.done\","
                + "\"sequence_number\":6,\"item_id\":\"msg_9\",\"output_index\":0,"
                + "\"content_index\":0,\"text\":\"Hi there\"}\n\n",
            "event: response.completed\ndata: {\"type\":\"response.completed\","
                + "\"sequence_number\":7,\"response\":{\"id\":\"resp_9\",\"object\":\"response\","
                + "\"status\":\"completed\",\"error\":null,\"incomplete_details\":null,"
                + "\"model\":\"gpt-4.1-mini\",\"output\":[{\"id\":\"msg_9\",\"type\":\"message\","
                + "\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":"
                + "\"output_text\",\"text\":\"Hi there\",\"annotations\":[]}]}],"
                + "\"usage\":{\"input_tokens\":37,\"output_tokens\":2,\"total_tokens\":39}}}\n\n");
    assertEquals("resp_9", summary.id);
    assertEquals("gpt-4.1-mini", summary.model);
    assertEquals("Hi there", summary.text);
    assertEquals("stop", summary.finishReason);
    assertEquals(37, summary.inputTokens);
    assertEquals(2, summary.outputTokens);
    assertEquals(3 * MS, summary.timeToFirstTokenNanos);
    assertEquals(2 / 0.003, summary.outputTokensPerSecond, 1e-6);
    assertTrue(summary.endSeen);
    assertFalse(summary.parseError);
  }

  @Test
  void responsesStreamTakesTheTypeFromTheEventLine() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_RESPONSES,
            SSE,
            "event: response.output_text.delta\ndata: {\"delta\":\"x\"}\n\n",
            "event: response.completed\ndata: {\"response\":{\"status\":\"completed\","
                + "\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n");
    assertEquals("x", summary.text);
    assertEquals(1, summary.outputTokens);
  }

  @Test
  void responsesStreamedFunctionCall() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_RESPONSES,
            SSE,
            "data: {\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":"
                + "{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\","
                + "\"name\":\"f\",\"arguments\":\"\"}}\n\n",
            "data: {\"type\":\"response.function_call_arguments.delta\",\"delta\":\"{}\"}\n\n",
            "data: {\"type\":\"response.completed\",\"response\":{\"status\":\"completed\","
                + "\"output\":[{\"type\":\"function_call\",\"id\":\"fc_1\",\"name\":\"f\","
                + "\"arguments\":\"{}\"}],\"usage\":{\"input_tokens\":5,\"output_tokens\":4}}}\n\n");
    assertEquals(1, summary.toolCalls, "counted once, though seen streamed and in the end");
    assertEquals("tool_calls", summary.finishReason);
    assertEquals(MS, summary.timeToFirstTokenNanos);
  }

  @Test
  void responsesStreamFailure() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_RESPONSES,
            SSE,
            "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"id\":"
                + "\"resp_f\",\"status\":\"failed\",\"error\":{\"code\":\"server_error\","
                + "\"message\":\"The model failed to generate a response.\"},\"output\":[],"
                + "\"usage\":null}}\n\n");
    assertEquals("failed", summary.finishReason);
    assertEquals("server_error", summary.errorType);
    assertEquals("The model failed to generate a response.", summary.errorMessage);
    assertEquals("resp_f", summary.id);
  }

  @Test
  void responsesErrorEvent() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_RESPONSES,
            SSE,
            "event: error\ndata: {\"type\":\"error\",\"code\":\"ERR_SOMETHING\","
                + "\"message\":\"Something went wrong\",\"param\":null,\"sequence_number\":1}\n\n");
    assertEquals("ERR_SOMETHING", summary.errorType);
    assertEquals("Something went wrong", summary.errorMessage);
  }

  // ---- Ollama ----

  @Test
  void ollamaChatStream() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OLLAMA_CHAT,
            NDJSON,
            ollamaChat("The", false) + "\n",
            ollamaChat(" sky", false) + "\n" + ollamaChat(" is blue.", false) + "\n",
            "{\"model\":\"llama3.2\",\"created_at\":\"2025-03-01T10:00:03.1Z\","
                + "\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done_reason\":\"stop\","
                + "\"done\":true,\"total_duration\":4883583458,\"load_duration\":1334875,"
                + "\"prompt_eval_count\":26,\"prompt_eval_duration\":342546000,"
                + "\"eval_count\":282,\"eval_duration\":4535599000}\n");
    assertEquals(Format.NDJSON, summary.format);
    assertNull(summary.id);
    assertEquals("llama3.2", summary.model);
    assertEquals("The sky is blue.", summary.text);
    assertEquals("stop", summary.finishReason);
    assertEquals(26, summary.inputTokens);
    assertEquals(282, summary.outputTokens);
    assertEquals(4883583458L, summary.serverTotalNanos);
    assertEquals(1334875, summary.serverLoadNanos);
    assertEquals(342546000, summary.serverPromptEvalNanos);
    assertEquals(4535599000L, summary.serverEvalNanos);
    assertEquals(282 / 4.535599, summary.outputTokensPerSecond, 1e-9);
    assertEquals(MS, summary.timeToFirstTokenNanos);
    assertEquals(4, summary.events);
    assertTrue(summary.endSeen);
    assertFalse(summary.parseError);
  }

  @Test
  void ollamaStreamIsRecognisedWithoutAContentType() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OLLAMA_CHAT,
            null,
            ollamaChat("a", false) + "\n",
            ollamaChat("b", false) + "\n",
            ollamaChat("", true) + "\n");
    assertEquals(Format.NDJSON, summary.format);
    assertEquals("ab", summary.text);
    assertEquals(MS, summary.timeToFirstTokenNanos);
  }

  @Test
  void newlineDelimitedJsonUnderAJsonContentTypeIsStillRead() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OLLAMA_GENERATE,
            "application/json",
            "{\"model\":\"m\",\"response\":\"x\",\"done\":false}\n",
            "{\"model\":\"m\",\"response\":\"y\",\"done\":true,\"eval_count\":2}\n");
    assertEquals(Format.NDJSON, summary.format);
    assertEquals("xy", summary.text);
    assertEquals(2, summary.outputTokens);
    assertFalse(summary.parseError);
  }

  @Test
  void ollamaChatStreamWithToolCallsAndThinking() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OLLAMA_CHAT,
            NDJSON,
            "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"\","
                + "\"thinking\":\"Need weather\"},\"done\":false}\n",
            "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"\","
                + "\"tool_calls\":[{\"function\":{\"name\":\"get_weather\",\"arguments\":"
                + "{\"city\":\"Paris\"}}},{\"function\":{\"name\":\"get_time\",\"arguments\":{}}}]},"
                + "\"done\":false}\n",
            "{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"done_reason\":\"stop\",\"done\":true,\"eval_count\":30}\n");
    assertEquals(2, summary.toolCalls);
    assertEquals(MS, summary.timeToFirstTokenNanos, "thinking is the first token");
    assertEquals("", summary.text);
  }

  @Test
  void ollamaGenerateWhole() {
    ResponseSummary summary =
        parse(
            ApiFlavour.OLLAMA_GENERATE,
            false,
            "application/json; charset=utf-8",
            "{\"model\":\"llama3.2\",\"created_at\":\"2023-08-04T19:22:45.499127Z\","
                + "\"response\":\"The sky is blue because it is the color of the sky.\","
                + "\"done\":true,\"done_reason\":\"stop\",\"context\":[1,2,3,4,5,6,7,8,9,10],"
                + "\"total_duration\":5043500667,\"load_duration\":5025959,"
                + "\"prompt_eval_count\":26,\"prompt_eval_duration\":325953000,"
                + "\"eval_count\":290,\"eval_duration\":4709213000}");
    assertEquals(Format.JSON, summary.format);
    assertEquals("The sky is blue because it is the color of the sky.", summary.text);
    assertEquals(290, summary.outputTokens);
    assertEquals(-1, summary.timeToFirstTokenNanos);
    assertEquals(290 / 4.709213, summary.outputTokensPerSecond, 1e-9);
  }

  @Test
  void ollamaEmbed() {
    ResponseSummary summary =
        parse(
            ApiFlavour.OLLAMA_EMBED,
            false,
            JSON,
            "{\"model\":\"all-minilm\",\"embeddings\":[[0.010071029,-0.0017594862,0.05007221],"
                + "[-0.0098587,0.06574,0.03]],\"total_duration\":14143917,"
                + "\"load_duration\":1019500,\"prompt_eval_count\":8}");
    assertEquals(8, summary.inputTokens);
    assertEquals(-1, summary.outputTokens);
    assertEquals(-1.0, summary.outputTokensPerSecond);
    assertEquals(14143917, summary.serverTotalNanos);
    assertNull(summary.text);
  }

  @Test
  void ollamaErrorBody() {
    ResponseSummary summary =
        parse(
            ApiFlavour.OLLAMA_CHAT,
            true,
            "application/json; charset=utf-8",
            "{\"error\":\"model \\\"llama9\\\" not found, try pulling it first\"}");
    assertEquals("model \"llama9\" not found, try pulling it first", summary.errorMessage);
    assertNull(summary.errorType);
    assertTrue(summary.hasError());
    assertFalse(summary.parseError);
  }

  @Test
  void ollamaErrorInTheStream() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OLLAMA_GENERATE,
            NDJSON,
            "{\"model\":\"m\",\"response\":\"Hi\",\"done\":false}\n",
            "{\"error\":\"an error was encountered while running the model\"}\n");
    assertEquals("Hi", summary.text);
    assertEquals("an error was encountered while running the model", summary.errorMessage);
    assertFalse(summary.endSeen);
  }

  // ---- Layout details ----

  @Test
  void crlfAndLoneCarriageReturnLineEnds() {
    String crlf = chatChunk("{\"content\":\"a\"}", null) + "\r\n\r\n";
    String cr = chatChunk("{\"content\":\"b\"}", null) + "\r\r";
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_CHAT, SSE, ": ping\r\n\r\n", crlf, cr, "data: [DONE]\r\n\r\n");
    assertEquals("ab", summary.text);
    assertEquals(2 * MS, summary.timeToFirstTokenNanos);
    assertTrue(summary.endSeen);
    assertFalse(summary.parseError);
  }

  @Test
  void eventsWithoutDataAndUnknownFieldsAreIgnored() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_CHAT,
            SSE,
            "retry: 1000\n\nevent: ping\n\nid: 7\n:\n\nweird\n\n",
            "data:" + chatChunk("{\"content\":\"x\"}", null).substring(5) + "\n\n",
            "data: [DONE]\n");
    assertEquals("x", summary.text);
    assertFalse(summary.parseError);
  }

  @Test
  void dataSplitOverSeveralLinesIsJoined() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_CHAT,
            SSE,
            "data: {\"choices\":[{\"index\":0,\n",
            "data: \"delta\":{\"content\":\"joined\"}}]}\n\n");
    assertEquals("joined", summary.text);
    assertEquals(2 * MS, summary.timeToFirstTokenNanos);
    assertFalse(summary.parseError);
  }

  @Test
  void aStreamMissingBlankLinesIsStillRead() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_CHAT,
            SSE,
            chatChunk("{\"content\":\"a\"}", null) + "\n",
            chatChunk("{\"content\":\"b\"}", null) + "\n",
            "data: [DONE]\n");
    assertEquals("ab", summary.text);
    assertFalse(summary.parseError);
  }

  @Test
  void aByteOrderMarkAndLeadingBlankLinesAreSkipped() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_CHAT,
            null,
            "\uFEFF\n\n" + chatChunk("{\"content\":\"x\"}", null) + "\n\n");
    assertEquals(Format.SSE, summary.format);
    assertEquals("x", summary.text);
  }

  @Test
  void aSseContentTypeWithAJsonErrorBody() {
    ResponseSummary summary =
        parse(
            ApiFlavour.OPENAI_CHAT,
            true,
            SSE,
            "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                + "\"code\":\"rate_limit_exceeded\"}}");
    assertEquals("rate_limit_exceeded", summary.errorType);
    assertFalse(summary.parseError);
  }

  // ---- Damage ----

  @Test
  void emptyBody() {
    ResponseSummary summary = parse(ApiFlavour.OPENAI_CHAT, true, SSE, "");
    assertEquals(Format.EMPTY, summary.format);
    assertFalse(summary.parseError);
    assertEquals(-1, summary.timeToFirstByteNanos);
    assertEquals(-1, summary.outputTokens);
  }

  @Test
  void htmlErrorPage() {
    ResponseSummary summary =
        parse(
            ApiFlavour.OPENAI_CHAT,
            false,
            "text/html",
            "<html><body><h1>502 Bad Gateway</h1></body></html>");
    assertEquals(Format.OTHER, summary.format);
    assertTrue(summary.parseError);
  }

  @Test
  void aCutJsonBodyKeepsWhatWasSeenAndIsAParseError() {
    ResponseSummary summary =
        parse(
            ApiFlavour.OPENAI_CHAT,
            false,
            JSON,
            "{\"id\":\"chatcmpl-9\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":");
    assertEquals("chatcmpl-9", summary.id);
    assertEquals("gpt-4o", summary.model);
    assertTrue(summary.parseError);
    assertFalse(summary.endSeen);
  }

  @Test
  void aNonJsonDataLineIsAnErrorButTheRestIsRead() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_CHAT,
            SSE,
            chatChunk("{\"content\":\"a\"}", null) + "\n\n",
            "data: <html>oops</html>\n\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"}}\n\n",
            chatChunk("{\"content\":\"c\"}", null) + "\n\n",
            "data: [DONE]\n\n");
    assertEquals("ac", summary.text);
    assertTrue(summary.parseError);
    assertTrue(summary.endSeen);
  }

  @Test
  void overflowKeepsTheTimingAndLeavesUsageUnknown() {
    String first = chatChunk("{\"content\":\"Hello\"}", null) + "\n\n";
    ResponseRecorder recorded =
        recorded(
            first.length() + 40,
            first,
            chatChunk("{\"content\":\" world\"}", null) + "\n\n",
            usageChunk("{}", 10, 20) + "\n\n",
            "data: [DONE]\n\n");
    ResponseSummary summary = ResponseParser.parse(recorded, ApiFlavour.OPENAI_CHAT, true, SSE);
    assertTrue(summary.overflowed);
    assertFalse(summary.parseError, "the cut-off tail is not a parse error");
    assertEquals("Hello", summary.text);
    assertEquals(MS, summary.timeToFirstTokenNanos);
    assertEquals(-1, summary.outputTokens);
    assertEquals(-1.0, summary.outputTokensPerSecond);
    assertTrue(summary.totalBytes > first.length() + 40);
  }

  @Test
  void anOverflowedJsonBodyKeepsItsFirstFields() {
    String body =
        "{\"id\":\"chatcmpl-7\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":"
            + "{\"role\":\"assistant\",\"content\":\""
            + "y".repeat(5000)
            + "\"}}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1000}}";
    ResponseSummary summary =
        ResponseParser.parse(recorded(1000, body), ApiFlavour.OPENAI_CHAT, false, JSON);
    assertTrue(summary.overflowed);
    assertFalse(summary.parseError);
    assertEquals("chatcmpl-7", summary.id);
    assertEquals(-1, summary.outputTokens);
  }

  @Test
  void aCancelledStreamIsReadAsFarAsItGoes() {
    ResponseRecorder recorder = new ResponseRecorder(1 << 20, T0);
    feed(recorder, chatChunk("{\"content\":\"Once\"}", null) + "\n\n", T0 + MS);
    feed(recorder, chatChunk("{\"content\":\" upon\"}", null).substring(0, 30), T0 + 2 * MS);
    assertTrue(recorder.cancel());
    ResponseSummary summary = ResponseParser.parse(recorder, ApiFlavour.OPENAI_CHAT, true, SSE);
    assertEquals(Outcome.CANCELLED, summary.outcome);
    assertEquals("Once", summary.text);
    assertFalse(summary.parseError);
    assertFalse(summary.endSeen);
  }

  @Test
  void aCutLastEventOfACompletedStreamIsAParseError() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_CHAT,
            SSE,
            chatChunk("{\"content\":\"a\"}", null) + "\n\n",
            "data: {\"choices\":[{\"index\":0,\"del");
    assertEquals("a", summary.text);
    assertTrue(summary.parseError);
  }

  @Test
  void deepNestingIsAParseErrorNotACrash() {
    String deep = "data: {\"a\":" + "[".repeat(50_000) + "]".repeat(50_000) + "}\n\n";
    ResponseSummary summary = parseChunks(ApiFlavour.OPENAI_CHAT, SSE, deep);
    assertTrue(summary.parseError);
    ResponseSummary json = parse(ApiFlavour.OPENAI_CHAT, false, JSON, deep.substring(6));
    assertTrue(json.parseError);
  }

  @Test
  void aNullRecordingIsAParseError() {
    ResponseSummary summary = ResponseParser.parse(null, null, false, null);
    assertTrue(summary.parseError);
    assertEquals(Outcome.OPEN, summary.outcome);
  }

  @Test
  void aRecordingStillOpenIsReadAsFarAsItGoes() {
    ResponseRecorder recorder = new ResponseRecorder(1 << 20, T0);
    feed(recorder, chatChunk("{\"content\":\"so far\"}", null) + "\n\n", T0 + MS);
    ResponseSummary summary = ResponseParser.parse(recorder, ApiFlavour.OPENAI_CHAT, true, SSE);
    assertEquals("so far", summary.text);
    assertEquals(-1, summary.durationNanos);
    assertEquals(Outcome.OPEN, summary.outcome);
  }

  @Test
  void textIsBoundedButFullyCounted() {
    String big = "z".repeat(ResponseParser.MAX_TEXT_CHARS + 10);
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OLLAMA_GENERATE,
            NDJSON,
            "{\"response\":\"" + big + "\",\"done\":false}\n",
            "{\"response\":\"tail\",\"done\":true}\n");
    assertEquals(ResponseParser.MAX_TEXT_CHARS, summary.text.length());
    assertEquals(big.length() + 4, summary.textLength);
  }

  @Test
  void toStringLeavesTheTextOut() {
    ResponseSummary summary =
        parseChunks(ApiFlavour.OPENAI_CHAT, SSE, chatChunk("{\"content\":\"secret\"}", null));
    assertFalse(summary.toString().contains("secret"), summary.toString());
  }

  @Test
  void aBrokenEventInTheMiddleOfAStreamIsAnErrorAndTheRestIsRead() {
    // The events share one JSON reader; the broken one (an object cut short, then an array cut
    // short) must leave it as reading each event alone did: its partial object counted, the
    // events after it read.
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_CHAT,
            SSE,
            chatChunk("{\"content\":\"one \"}", "null") + "\n\n",
            "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"two "
                + "\"}\n\n",
            "data: [1, 2\n\n",
            chatChunk("{\"content\":\"three\"}", "\"stop\"") + "\n\n",
            usageChunk("{}", 5, 3) + "\n\n",
            "data: [DONE]\n\n");
    assertTrue(summary.parseError);
    assertEquals("one three", summary.text);
    assertEquals(5, summary.inputTokens);
    assertEquals(3, summary.outputTokens);
  }

  @Test
  void eventsWithSeveralValuesOrArraysAreReadAsBefore() {
    ResponseSummary summary =
        parseChunks(
            ApiFlavour.OPENAI_CHAT,
            SSE,
            "data: [\"a\", {\"b\": 1}]\n\n",
            chatChunk("{\"content\":\"Hi\"}", "null").substring("data: ".length()) + "\n\n",
            "data: "
                + chatChunk("{\"content\":\" there\"}", "null").substring("data: ".length())
                + " "
                + chatChunk("{\"content\":\"!\"}", "\"stop\"").substring("data: ".length())
                + "\n\n",
            "data: [DONE]\n\n");
    assertEquals("Hi there!", summary.text);
    assertFalse(summary.parseError);
  }

  // ---- Helpers ----

  static String chatChunk(String delta, String finishReason) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,"
        + "\"delta\":"
        + delta
        + ",\"logprobs\":null,\"finish_reason\":"
        + finishReason
        + "}],\"usage\":null}";
  }

  private static String usageChunk(String delta, int prompt, int completion) {
    return "data: {\"id\":\"chatcmpl-2\",\"object\":\"chat.completion.chunk\",\"model\":\"qwen\","
        + "\"choices\":[{\"index\":0,\"delta\":"
        + delta
        + ",\"finish_reason\":null}],\"usage\":{\"prompt_tokens\":"
        + prompt
        + ",\"completion_tokens\":"
        + completion
        + ",\"total_tokens\":"
        + (prompt + completion)
        + "}}";
  }

  private static String textDelta(int sequence, String delta) {
    return "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
        + "\"sequence_number\":"
        + sequence
        + ",\"item_id\":\"msg_9\",\"output_index\":0,\"content_index\":0,\"delta\":\""
        + delta
        + "\",\"logprobs\":[]}\n\n";
  }

  static String ollamaChat(String content, boolean done) {
    return "{\"model\":\"llama3.2\",\"created_at\":\"2025-03-01T10:00:00.0Z\",\"message\":"
        + "{\"role\":\"assistant\",\"content\":\""
        + content
        + "\"},\"done\":"
        + done
        + "}";
  }

  /** A body that arrived in one chunk 1 ms after the start; the recording ends 1 ms later. */
  private static ResponseSummary parse(
      ApiFlavour flavour, boolean streaming, String contentType, String body) {
    return ResponseParser.parse(recorded(body), flavour, streaming, contentType);
  }

  private static ResponseSummary parseChunks(
      ApiFlavour flavour, String contentType, String... chunks) {
    return ResponseParser.parse(recorded(chunks), flavour, true, contentType);
  }

  /** Chunk i arrives (i + 1) ms after the start; the recording completes 1 ms after the last. */
  static ResponseRecorder recorded(String... chunks) {
    return recorded(ResponseRecorder.DEFAULT_MAX_BYTES, chunks);
  }

  static ResponseRecorder recorded(int maxBytes, String... chunks) {
    ResponseRecorder recorder = new ResponseRecorder(maxBytes, T0);
    long now = T0;
    for (String chunk : chunks) {
      now += MS;
      feed(recorder, chunk, now);
    }
    recorder.end(Outcome.COMPLETED, now + MS, null);
    return recorder;
  }

  static void feed(ResponseRecorder recorder, String chunk, long now) {
    byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
    recorder.onBytes(bytes, 0, bytes.length, now);
  }
}
