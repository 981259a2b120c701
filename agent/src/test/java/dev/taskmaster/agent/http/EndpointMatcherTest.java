package dev.taskmaster.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointMatcherTest {

  private final EndpointMatcher defaults = EndpointMatcher.defaults();

  @Test
  void defaultPathsGetTheirOperationAndFlavour() {
    assertEndpoint(defaults, "/v1/chat/completions", "chat", ApiFlavour.OPENAI_CHAT);
    assertEndpoint(defaults, "/v1/completions", "completions", ApiFlavour.OPENAI_COMPLETIONS);
    assertEndpoint(defaults, "/v1/responses", "responses", ApiFlavour.OPENAI_RESPONSES);
    assertEndpoint(defaults, "/v1/embeddings", "embeddings", ApiFlavour.OPENAI_EMBEDDINGS);
    assertEndpoint(defaults, "/api/chat", "chat", ApiFlavour.OLLAMA_CHAT);
    assertEndpoint(defaults, "/api/generate", "generate", ApiFlavour.OLLAMA_GENERATE);
    assertEndpoint(defaults, "/api/embed", "embed", ApiFlavour.OLLAMA_EMBED);
    assertEndpoint(defaults, "/api/embeddings", "embeddings", ApiFlavour.OLLAMA_EMBED);
  }

  @Test
  void anyBasePathMayComeBefore() {
    assertEndpoint(defaults, "/openai/v1/chat/completions", "chat", ApiFlavour.OPENAI_CHAT);
    assertEndpoint(defaults, "/api/v1/v1/embeddings", "embeddings", ApiFlavour.OPENAI_EMBEDDINGS);
    assertEndpoint(defaults, "/ollama/api/chat", "chat", ApiFlavour.OLLAMA_CHAT);
  }

  @Test
  void onlyWholeSegmentsAtTheEndMatch() {
    assertNull(defaults.find("/xv1/chat/completions"));
    assertNull(defaults.find("/v1/chat/completions/extra"));
    assertNull(defaults.find("/v1/chat/completionsx"));
    assertNull(defaults.find("/v1/models"));
    assertNull(defaults.find("/api/chatter"));
    assertNull(defaults.find("/users/123"));
    assertNull(defaults.find("/caf\u00e9"));
    assertNull(defaults.find("v1/chat/completions"));
    assertNull(defaults.find("/"));
    assertNull(defaults.find(""));
    assertNull(defaults.find(null));
  }

  @Test
  void aTrailingSlashQueryOrFragmentIsIgnored() {
    assertEquals("chat", defaults.match("/v1/chat/completions/"));
    assertEquals("chat", defaults.match("/v1/chat/completions?api-version=2024-10-21"));
    assertEquals("generate", defaults.match("/api/generate#x"));
  }

  @Test
  void wildcardMatchesExactlyOneNonEmptySegment() {
    EndpointMatcher azure = EndpointMatcher.parse("/openai/deployments/*/chat/completions");
    assertEndpoint(
        azure, "/openai/deployments/gpt-4o/chat/completions", "chat", ApiFlavour.OPENAI_CHAT);
    assertEndpoint(
        azure, "/base/openai/deployments/gpt-4o/chat/completions", "chat", ApiFlavour.OPENAI_CHAT);
    assertNull(azure.find("/openai/deployments//chat/completions"));
    assertNull(azure.find("/openai/deployments/a/b/chat/completions"));
    assertNull(azure.find("/openai/deployments/chat/completions"));
    assertNull(azure.find("/v1/chat/completions"));
  }

  @Test
  void wildcardMayStandFirstOrLast() {
    EndpointMatcher matcher =
        EndpointMatcher.parse("/*/llm=chat:openai, /models/*=generate:ollama");
    assertEquals("chat", matcher.match("/team/llm"));
    assertNull(matcher.match("/llm"));
    assertEndpoint(matcher, "/models/llama3", "generate", ApiFlavour.OLLAMA_GENERATE);
    assertNull(matcher.match("/models/"));
  }

  @Test
  void explicitEntriesNameOperationAndApi() {
    EndpointMatcher matcher =
        EndpointMatcher.parse(
            "/gateway/invoke=chat:openai, /x/gen = generate:ollama, /y/vec=EMBEDDINGS:Ollama,"
                + " /z/resp=responses:openai, /z/old=completions:openai, /z/emb=embeddings:openai,"
                + " /z/ochat=chat:ollama, /z/oemb=embed:ollama");
    assertEndpoint(matcher, "/gateway/invoke", "chat", ApiFlavour.OPENAI_CHAT);
    assertEndpoint(matcher, "/x/gen", "generate", ApiFlavour.OLLAMA_GENERATE);
    assertEndpoint(matcher, "/y/vec", "embeddings", ApiFlavour.OLLAMA_EMBED);
    assertEndpoint(matcher, "/z/resp", "responses", ApiFlavour.OPENAI_RESPONSES);
    assertEndpoint(matcher, "/z/old", "completions", ApiFlavour.OPENAI_COMPLETIONS);
    assertEndpoint(matcher, "/z/emb", "embeddings", ApiFlavour.OPENAI_EMBEDDINGS);
    assertEndpoint(matcher, "/z/ochat", "chat", ApiFlavour.OLLAMA_CHAT);
    assertEndpoint(matcher, "/z/oemb", "embed", ApiFlavour.OLLAMA_EMBED);
    assertNull(matcher.find("/v1/chat/completions"), "a configured list replaces the defaults");
  }

  @Test
  void invalidEntriesAreSkippedAndTheRestKept() {
    EndpointMatcher matcher =
        EndpointMatcher.parse(
            "no-slash, /unknown/ending, /a/b=chat, /a/c=chat:anthropic, /a/d=talk:openai,"
                + " /a*/e, /a//f, /q?x=1, /, ,/v1/chat/completions,");
    assertEquals(List.of("/v1/chat/completions"), matcher.patterns());
  }

  @Test
  void blankConfigurationMeansDefaults() {
    assertSame(defaults, EndpointMatcher.parse(null));
    assertSame(defaults, EndpointMatcher.parse("  "));
    assertEquals(8, defaults.patterns().size());
  }

  @Test
  void theEntryWithMoreSegmentsWins() {
    EndpointMatcher matcher =
        EndpointMatcher.parse("/completions=completions:openai, /v1/chat/completions");
    assertEquals("chat", matcher.match("/v1/chat/completions"));
    assertEquals("completions", matcher.match("/v1/completions"));
    EndpointMatcher tie = EndpointMatcher.parse("/a/b=chat:openai, /a/b=generate:ollama");
    assertEquals("chat", tie.match("/a/b"), "among equals the earlier entry wins");
  }

  @Test
  void endpointsAreSharedInstances() {
    assertSame(defaults.find("/v1/chat/completions"), defaults.find("/x/v1/chat/completions"));
    assertEquals(
        "/v1/chat/completions=chat:openai", defaults.find("/v1/chat/completions").toString());
  }

  private static void assertEndpoint(
      EndpointMatcher matcher, String path, String operation, ApiFlavour flavour) {
    EndpointMatcher.Endpoint endpoint = matcher.find(path);
    assertEquals(operation, endpoint == null ? null : endpoint.operation(), path);
    assertEquals(flavour, endpoint.flavour(), path);
    assertEquals(operation, matcher.match(path), path);
  }
}
