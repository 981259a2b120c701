package dev.taskmaster.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration table is the registry's own rendering, so the two never drift. */
class ReadmeConfigTableTest {

  private static final String START = "<!-- config-table:start -->\n";
  private static final String END = "<!-- config-table:end -->";

  @Test
  void readmeTableEqualsTheRegistry() throws IOException {
    Path readme = Path.of("..", "README.md");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    int start = text.indexOf(START);
    int end = text.indexOf(END);
    assertTrue(start >= 0 && end > start, "README.md has no config-table markers");
    assertEquals(
        ConfigKeys.markdownTable(),
        text.substring(start + START.length(), end),
        "README.md's configuration table is out of date: paste the output of"
            + " `java -jar agent/target/taskmaster-agent.jar keys` between the markers");
  }
}
