package dev.taskmaster.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestReaderTest {

  @Test
  void openAiChatWithStringAndPartContents() {
    RequestSummary summary =
        read(
            "{\"model\":\"gpt-4o-mini\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"You are terse.\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Describe\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}},"
                + "{\"type\":\"text\",\"text\":\"this é\"}]},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"42\"}],"
                + "\"temperature\":0.2,\"max_tokens\":256,\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},"
                + "\"response_format\":{\"type\":\"json_object\"},"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}",
            ApiFlavour.OPENAI_CHAT);
    assertEquals("gpt-4o-mini", summary.model);
    assertTrue(summary.stream);
    assertTrue(summary.includeUsage);
    assertEquals(256, summary.maxTokens);
    assertEquals(4, summary.messageCount);
    assertEquals("You are terse.\nDescribe\nthis é\n42", summary.prompt);
    assertEquals(14 + 8 + 6 + 2, summary.promptLength);
    assertTrue(summary.jsonRequested);
    assertFalse(summary.parseError);
  }

  @Test
  void openAiDefaultsWhenFieldsAreAbsent() {
    RequestSummary summary =
        read(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"model\":\"gpt-4.1\"}",
            ApiFlavour.OPENAI_CHAT);
    assertFalse(summary.stream);
    assertFalse(summary.includeUsage);
    assertEquals(-1, summary.maxTokens);
    assertFalse(summary.jsonRequested);
    assertEquals(1, summary.messageCount);
    assertEquals(2, summary.promptLength);
  }

  @Test
  void maxCompletionTokensWinsOverMaxTokens() {
    RequestSummary summary =
        read(
            "{\"max_completion_tokens\":1000,\"max_tokens\":10,\"model\":\"o3\","
                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\","
                + "\"schema\":{\"type\":\"object\"}}}}",
            ApiFlavour.OPENAI_CHAT);
    assertEquals(1000, summary.maxTokens);
    assertTrue(summary.jsonRequested);
    assertEquals(-1, summary.promptLength);
    assertNull(summary.prompt);
    assertEquals(-1, summary.messageCount);
  }

  @Test
  void textResponseFormatIsNotJson() {
    RequestSummary summary =
        read("{\"model\":\"m\",\"response_format\":{\"type\":\"text\"}}", ApiFlavour.OPENAI_CHAT);
    assertFalse(summary.jsonRequested);
  }

  @Test
  void ollamaStreamsByDefault() {
    String body =
        "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"Why is the sky"
            + " blue?\"}],\"options\":{\"temperature\":0,\"num_predict\":128},\"format\":\"json\"}";
    RequestSummary chat = read(body, ApiFlavour.OLLAMA_CHAT);
    assertTrue(chat.stream);
    assertEquals(128, chat.maxTokens);
    assertTrue(chat.jsonRequested);
    assertEquals("llama3.2", chat.model);
    assertTrue(read("{\"model\":\"m\",\"prompt\":\"x\"}", ApiFlavour.OLLAMA_GENERATE).stream);
    assertFalse(read("{\"model\":\"m\",\"input\":\"x\"}", ApiFlavour.OLLAMA_EMBED).stream);
    assertFalse(
        read("{\"model\":\"m\",\"stream\":false,\"prompt\":\"x\"}", ApiFlavour.OLLAMA_GENERATE)
            .stream);
  }

  @Test
  void ollamaGenerateCountsSystemAndPromptAndSchemaFormat() {
    RequestSummary summary =
        read(
            "{\"model\":\"qwen3\",\"system\":\"Be brief.\",\"prompt\":\"Name a colour.\","
                + "\"format\":{\"type\":\"object\",\"properties\":{\"c\":{\"type\":\"string\"}}},"
                + "\"context\":[1,2,3],\"images\":[\"iVBORw0KGgo=\"]}",
            ApiFlavour.OLLAMA_GENERATE);
    assertEquals("Be brief.\nName a colour.", summary.prompt);
    assertEquals(9 + 14, summary.promptLength);
    assertTrue(summary.jsonRequested);
    assertEquals(-1, summary.messageCount);
  }

  @Test
  void ollamaTextFormatIsNotJson() {
    assertFalse(read("{\"format\":\"\"}", ApiFlavour.OLLAMA_CHAT).jsonRequested);
  }

  @Test
  void responsesApiInputItemsAndTextFormat() {
    RequestSummary summary =
        read(
            "{\"model\":\"gpt-4.1\",\"instructions\":\"Talk like a pirate.\",\"input\":["
                + "{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Hello\"},"
                + "{\"type\":\"input_image\",\"image_url\":\"https://x/y.png\"}]},"
                + "{\"type\":\"function_call\",\"call_id\":\"c1\",\"name\":\"f\",\"arguments\":\"{}\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":\"sunny\"}],"
                + "\"max_output_tokens\":500,\"stream\":true,"
                + "\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"w\",\"schema\":{}}}}",
            ApiFlavour.OPENAI_RESPONSES);
    assertEquals("Talk like a pirate.\nHello\nsunny", summary.prompt);
    assertEquals(19 + 5 + 5, summary.promptLength);
    assertEquals(3, summary.messageCount);
    assertEquals(500, summary.maxTokens);
    assertTrue(summary.stream);
    assertTrue(summary.jsonRequested);
  }

  @Test
  void responsesApiStringInput() {
    RequestSummary summary =
        read("{\"model\":\"gpt-4.1\",\"input\":\"Tell a story\"}", ApiFlavour.OPENAI_RESPONSES);
    assertEquals("Tell a story", summary.prompt);
    assertEquals(-1, summary.messageCount);
    assertFalse(summary.stream);
  }

  @Test
  void embeddingsInputsMayBeStringsOrTokenIds() {
    RequestSummary strings =
        read(
            "{\"input\":[\"abc\",\"de\"],\"model\":\"text-embedding-3-small\","
                + "\"encoding_format\":\"float\"}",
            ApiFlavour.OPENAI_EMBEDDINGS);
    assertEquals(2, strings.messageCount);
    assertEquals(5, strings.promptLength);
    RequestSummary tokens =
        read("{\"input\":[[1,2,3],[4]],\"model\":\"e\"}", ApiFlavour.OPENAI_EMBEDDINGS);
    assertEquals(2, tokens.messageCount);
    assertEquals(-1, tokens.promptLength);
  }

  @Test
  void legacyCompletionPromptMayBeAList() {
    RequestSummary summary =
        read(
            "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":[\"a\",\"bc\"],\"max_tokens\":7}",
            ApiFlavour.OPENAI_COMPLETIONS);
    assertEquals("a\nbc", summary.prompt);
    assertEquals(3, summary.promptLength);
    assertEquals(7, summary.maxTokens);
  }

  @Test
  void promptTextIsBoundedButFullyCounted() {
    String big = "x".repeat(RequestReader.MAX_PROMPT_CHARS + 100);
    RequestSummary summary =
        read("{\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}", null);
    assertEquals(RequestReader.MAX_PROMPT_CHARS, summary.prompt.length());
    assertEquals(big.length(), summary.promptLength);
  }

  @Test
  void boundNeverSplitsASurrogatePair() {
    String big = "x".repeat(RequestReader.MAX_PROMPT_CHARS - 1) + "😀";
    RequestSummary summary = read("{\"prompt\":\"" + big + "\"}", ApiFlavour.OLLAMA_GENERATE);
    assertEquals(RequestReader.MAX_PROMPT_CHARS - 1, summary.prompt.length());
    assertEquals(big.length(), summary.promptLength);
  }

  @Test
  void onlyTheGivenLengthIsRead() {
    byte[] body = "{\"model\":\"a\"}GARBAGE".getBytes(StandardCharsets.UTF_8);
    RequestSummary summary = RequestReader.read(body, 13, ApiFlavour.OPENAI_CHAT);
    assertEquals("a", summary.model);
    assertFalse(summary.parseError);
    assertEquals("a", RequestReader.read(body, 1000, ApiFlavour.OPENAI_CHAT).model);
  }

  @Test
  void aCutBodyKeepsWhatWasRead() {
    RequestSummary summary =
        read(
            "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"he",
            ApiFlavour.OPENAI_CHAT);
    assertTrue(summary.parseError);
    assertEquals("gpt-4o", summary.model);
    assertTrue(summary.stream);
  }

  @Test
  void oddTypesAreSkipped() {
    RequestSummary summary =
        read(
            "{\"model\":7,\"stream\":\"yes\",\"max_tokens\":\"9\",\"messages\":{\"a\":1},"
                + "\"stream_options\":null,\"options\":[1],\"response_format\":\"json\","
                + "\"text\":\"plain\",\"input\":{\"x\":1},\"prompt\":12,\"max_output_tokens\":1.5e3}",
            ApiFlavour.OPENAI_CHAT);
    assertFalse(summary.parseError);
    assertNull(summary.model);
    assertFalse(summary.stream);
    assertEquals(1500, summary.maxTokens);
    assertEquals(-1, summary.messageCount);
    assertFalse(summary.jsonRequested);
  }

  @Test
  void nonObjectsAndGarbageAreParseErrors() {
    assertTrue(read("[1,2]", ApiFlavour.OPENAI_CHAT).parseError);
    assertTrue(read("", ApiFlavour.OPENAI_CHAT).parseError);
    assertTrue(read("not json", ApiFlavour.OPENAI_CHAT).parseError);
    assertTrue(RequestReader.read(null, 10, ApiFlavour.OPENAI_CHAT).parseError);
    assertTrue(RequestReader.read(new byte[] {1, 2}, -1, ApiFlavour.OPENAI_CHAT).parseError);
    byte[] binary = new byte[512];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) (i * 37);
    }
    assertTrue(RequestReader.read(binary, binary.length, ApiFlavour.OPENAI_CHAT).parseError);
    String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertTrue(read(deep, ApiFlavour.OPENAI_CHAT).parseError);
    assertTrue(read(deep, null).parseError);
  }

  @Test
  void toStringLeavesThePromptOut() {
    String text = read("{\"prompt\":\"secret words\"}", ApiFlavour.OLLAMA_GENERATE).toString();
    assertFalse(text.contains("secret"), text);
  }

  private static RequestSummary read(String json, ApiFlavour flavour) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return RequestReader.read(bytes, bytes.length, flavour);
  }
}
