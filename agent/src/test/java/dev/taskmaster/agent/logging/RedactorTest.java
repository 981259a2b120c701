package dev.taskmaster.agent.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RedactorTest {

  private final Redactor defaults = new Redactor(Redactor.DEFAULT_PATTERNS);

  @Test
  void redactsApiKeys() {
    assertEquals(
        "key [REDACTED] and [REDACTED].",
        defaults.redact("key sk-abcdefghijklmnop1234 and sk-proj-AbC_dEf-0123456789xyz."));
    assertEquals("[REDACTED]", defaults.redact("sk-ant-api03-abcdefgh_ijklmnop"));
    assertEquals("id [REDACTED]", defaults.redact("id AKIAIOSFODNN7EXAMPLE"));
    assertEquals("g [REDACTED]", defaults.redact("g AIzaSyA1234567890abcdefghijklmnopqrstuv"));
  }

  @Test
  void redactsBearerTokens() {
    assertEquals(
        "Authorization: [REDACTED]",
        defaults.redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc-_=="));
    assertEquals("[REDACTED] rest", defaults.redact("bearer 0123456789abcdef.x rest"));
  }

  @Test
  void redactsSecretQueryParametersAndHeaderValues() {
    assertEquals(
        "GET /v1/chat/completions?api-key=[REDACTED]&model=gpt-4o&key=[REDACTED]#top",
        defaults.redact(
            "GET /v1/chat/completions?api-key=tmk.live.9f3a&model=gpt-4o&key=k%2B1#top"));
    assertEquals(
        "a?API_KEY=[REDACTED] b?apikey=[REDACTED] c?access_token=[REDACTED] d?token=[REDACTED]",
        defaults.redact("a?API_KEY=x1 b?apikey=x2 c?access_token=x3 d?token=x4"));
    assertEquals(
        "client_secret=[REDACTED]&password=[REDACTED] secret=[REDACTED]",
        defaults.redact("client_secret=c1&password=hunter2 secret=s1"));
    assertEquals(
        "api-key: [REDACTED], X-Api-Key:[REDACTED]",
        defaults.redact("api-key: abc123, X-Api-Key:def"));
    assertEquals(
        "Authorization: Basic [REDACTED] rest",
        defaults.redact("Authorization: Basic cHJvbTpzM2NyZXQ= rest"));
  }

  @Test
  void leavesWordsThatEndInKeyAlone() {
    String text = "monkey=3 turnkey=yes hotkey: F1, keyboard=us, a basic idea";
    assertEquals(text, defaults.redact(text));
  }

  @Test
  void redactsEmailAddresses() {
    assertEquals(
        "write to [REDACTED] or [REDACTED]",
        defaults.redact("write to jane.doe+llm@example.co.uk or ops@corp-mail.example"));
  }

  @Test
  void leavesOrdinaryTextAlone() {
    String text = "Ask the skeptic: sk- is short, a@b is no address, bearer of news.";
    assertEquals(text, defaults.redact(text));
    assertNull(defaults.redact(null));
    assertEquals("", defaults.redact(""));
  }

  @Test
  void appliesConfiguredPatternsToo() {
    Redactor redactor =
        new Redactor(List.of(Pattern.compile("\\bACCT-\\d{6}\\b"), Pattern.compile("\\$\\d+")));

    assertEquals(
        "account [REDACTED] owes [REDACTED]", redactor.redact("account ACCT-123456 owes $42"));
  }
}
