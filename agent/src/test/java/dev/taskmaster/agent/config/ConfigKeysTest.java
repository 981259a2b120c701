package dev.taskmaster.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {

  @Test
  void namesAndEnvironmentNamesAreUnique() {
    Set<String> names = new HashSet<>();
    Set<String> environmentNames = new HashSet<>();
    for (Setting<?> setting : ConfigKeys.all()) {
      assertTrue(names.add(setting.name()), "duplicate key " + setting.name());
      assertTrue(
          environmentNames.add(setting.environmentName()),
          "two keys map to " + setting.environmentName());
      assertTrue(setting.name().matches("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*"), setting.name());
      assertTrue(!setting.name().startsWith("intercept."), setting.name());
    }
  }

  @Test
  void everyKeyIsDescribedInOneSentence() {
    for (Setting<?> setting : ConfigKeys.all()) {
      String description = setting.description();
      assertTrue(description.endsWith("."), setting.name());
      assertTrue(Character.isUpperCase(description.charAt(0)), setting.name());
      assertTrue(!description.contains("\n"), setting.name());
    }
  }

  @Test
  void defaultsAreAcceptedByTheirOwnParser() {
    for (Setting<?> setting : ConfigKeys.all()) {
      Object defaultValue = setting.defaultValue();
      // An empty list has no text form; it is the value of an unset key.
      if (defaultValue != null && !setting.format(defaultValue).isEmpty()) {
        assertEquals(defaultValue, setting.parse(setting.format(defaultValue)), setting.name());
      }
    }
  }

  @Test
  void findByName() {
    assertSame(ConfigKeys.EXPORTER_PORT, ConfigKeys.find("exporter.port"));
    assertNull(ConfigKeys.find("exporter.prot"));
    assertNotNull(ConfigKeys.find("config"));
  }

  @Test
  void markdownTableHasOneRowPerKeyAndInterceptionField() {
    String table = ConfigKeys.markdownTable();
    List<String> lines = table.lines().toList();

    assertEquals("| Key | Type | Default | Meaning |", lines.get(0));
    assertEquals("| --- | --- | --- | --- |", lines.get(1));
    // Plus one row for the key family drift.baseline.<signal>.
    assertEquals(
        2 + ConfigKeys.all().size() + 1 + ConfigKeys.interceptionFields().size(), lines.size());
    assertTrue(table.contains("| `drift.baseline.<signal>` |"), table);
    assertTrue(
        lines.contains(
            "| `exporter.port` | int, 0..65535 | `9470` | Port of the metrics endpoint; 0 picks a"
                + " free port. |"),
        table);
    assertTrue(
        lines.contains(
            "| `log.level` | enum: error, warn, info, debug, off | `info` | Level of the agent's"
                + " own diagnostic lines on standard error. |"),
        table);
    assertTrue(
        lines.contains(
            "| `exporter.port.file` | path | (none) | File the agent writes the"
                + " bound port number to, useful with exporter.port=0. |"),
        table);
    assertTrue(
        lines.contains(
            "| `intercept.<name>.class` | class name | required | Fully qualified name of the class"
                + " that declares the intercepted method (nested classes with $). |"),
        table);
    for (String line : lines) {
      assertEquals(6, line.split("(?<!\\\\)\\|", -1).length, line);
    }
  }
}
