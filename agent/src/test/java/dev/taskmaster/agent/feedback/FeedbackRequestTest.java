package dev.taskmaster.agent.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeedbackRequestTest {

  @Test
  void readsAThumbsUpAFractionAndAComment() throws Exception {
    FeedbackRequest up = FeedbackRequest.parse("{\"request_id\": \"chatcmpl-1\", \"score\": 1}");
    assertEquals("chatcmpl-1", up.requestId());
    assertEquals(1.0, up.score());
    assertNull(up.comment());

    FeedbackRequest partial =
        FeedbackRequest.parse(
            " {\"score\": 0.25, \"comment\": \"too long\", \"request_id\": \"tm-00ff\"} ");
    assertEquals(0.25, partial.score());
    assertEquals("too long", partial.comment());
    assertNull(
        FeedbackRequest.parse("{\"request_id\": \"a\", \"score\": 0, \"comment\": null}")
            .comment());
    assertEquals(Verdict.POSITIVE, Verdict.of(0.51));
    assertEquals(Verdict.NEUTRAL, Verdict.of(0.5));
    assertEquals(Verdict.NEGATIVE, Verdict.of(0));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{bad | malformed_json | not valid JSON (at line 1 column 3)",
        "[1] | malformed_json | expected a JSON object",
        "`` | malformed_json | not valid JSON",
        "{\"request_id\": \"a\", \"score\": 1} {} | malformed_json | text follows",
        "{'request_id': 'a', 'score': 1} | malformed_json | not valid JSON",
        "{\"request_id\": \"a\", \"score\": NaN} | malformed_json | not valid JSON",
        "{\"score\": 1} | missing_field | request_id is missing",
        "{\"request_id\": \"a\"} | missing_field | score is missing",
        "{\"request_id\": 7, \"score\": 1} | invalid_field | request_id must be a string",
        "{\"request_id\": \"\", \"score\": 1} | invalid_field | request_id must have 1 to 200",
        "{\"request_id\": \"a\", \"score\": \"1\"} | invalid_field | score must be a number from 0"
            + " (bad) to 1 (good), got a string",
        "{\"request_id\": \"a\", \"score\": true} | invalid_field | got a boolean",
        "{\"request_id\": \"a\", \"score\": 1.5} | invalid_field | got 1.5",
        "{\"request_id\": \"a\", \"score\": -0.1} | invalid_field | got -0.1",
        "{\"request_id\": \"a\", \"score\": 1e999} | invalid_field | got 1e999",
        "{\"request_id\": \"a\", \"score\": 1, \"comment\": 5} | invalid_field | comment must be",
        "{\"request_id\": \"a\", \"score\": 1, \"score\": 0} | invalid_field | given twice",
        "{\"requestId\": \"a\", \"score\": 1} | unknown_field | unknown field \"requestId\"",
      })
  void rejectsWithAReasonAndASentence(String body, String reason, String message) {
    FeedbackRejected rejected =
        assertThrows(FeedbackRejected.class, () -> FeedbackRequest.parse(body));
    assertEquals(400, rejected.status());
    assertEquals(reason, rejected.reason(), rejected.getMessage());
    assertEquals(
        true,
        rejected.getMessage().contains(message),
        () -> "\"" + rejected.getMessage() + "\" does not say \"" + message + "\"");
  }

  @Test
  void rejectsALongCommentAndAnIdWithControlCharacters() {
    FeedbackRejected comment =
        assertThrows(
            FeedbackRejected.class,
            () ->
                FeedbackRequest.parse(
                    "{\"request_id\": \"a\", \"score\": 1, \"comment\": \""
                        + "x".repeat(1001)
                        + "\"}"));
    assertEquals("invalid_field", comment.reason());
    assertEquals("comment has 1001 characters; at most 1000 are accepted", comment.getMessage());
    FeedbackRejected id =
        assertThrows(
            FeedbackRejected.class,
            () -> FeedbackRequest.parse("{\"request_id\": \"a\\nb\", \"score\": 1}"));
    assertEquals("invalid_field", id.reason());
  }
}
