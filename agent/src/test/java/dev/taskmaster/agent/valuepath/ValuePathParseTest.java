package dev.taskmaster.agent.valuepath;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValuePathParseTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "arg0",
        "arg12",
        "arg255",
        "return",
        "this",
        "return.usage().promptTokens()",
        "arg1.model",
        "return.choices()[0].message().content()",
        "return[0][1].x",
        "this.$field._x1",
        "return.données"
      })
  void acceptsValidPaths(String expression) {
    assertDoesNotThrow(() -> ValuePath.parse(expression));
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "~~              | the value path is empty",
        "arg             | 'arg' needs a non-negative argument index such as arg0",
        "arg-1           | 'arg' needs a non-negative argument index such as arg0 (the first"
            + " argument), found '-'",
        "arg256          | argument index 256 is too large (at most 255)",
        "args            | unknown root 'args'",
        "return.         | expected a member name after '.' at character 7, found the end",
        "return.foo(     | missing ')' after 'foo(' at character 12",
        "return.foo(x)   | only methods without arguments can be called",
        "return[x]       | expected a non-negative index inside '[ ]' at character 8, found 'x'",
        "return[1        | expected ']' after index 1 at character 9, found the end",
        "return[-1]      | expected a non-negative index inside '[ ]'",
        "return[99999999999] | index 99999999999 is too large",
        "foo.bar         | unknown root 'foo': a path starts with arg<N>, return or this",
        ".foo            | expected arg<N>, return or this at the start, found '.'",
        "return..x       | expected a member name after '.' at character 7, found '.'",
        "return.1x       | expected a member name after '.'",
        "return x        | expected '.' or '[' at character 7, found ' '",
        "return.x()y     | expected '.' or '[' at character 11, found 'y'",
      })
  void rejectsInvalidPathsWithMessagesThatNameTheProblemAndTheSyntax(
      String expression, String problem) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ValuePath.parse(expression));

    String message = e.getMessage();
    assertTrue(message.contains("\"" + expression.trim() + "\""), message);
    assertTrue(message.contains(problem), message);
    assertTrue(message.endsWith(ValuePath.SYNTAX), message);
  }

  @org.junit.jupiter.api.Test
  void nullIsAnEmptyPath() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ValuePath.parse(null));
    assertTrue(e.getMessage().contains("empty"));
  }
}
