package dev.taskmaster.benchmarks.overhead;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Markdown table. */
final class Table {

  private final List<String[]> rows = new ArrayList<>();
  private final String[] header;

  Table(String... header) {
    this.header = header;
  }

  Table row(String... cells) {
    rows.add(cells);
    return this;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    line(text, header);
    String[] rule = new String[header.length];
    java.util.Arrays.fill(rule, "---");
    line(text, rule);
    for (String[] row : rows) {
      line(text, row);
    }
    return text.toString();
  }

  private static void line(StringBuilder text, String[] cells) {
    text.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  /** A target check: {@code met} or {@code NOT met}, with the margin. */
  static String target(String what, double value, double limit, String unit, int decimals) {
    String pattern = "%." + decimals + "f";
    String measured = String.format(Locale.ROOT, pattern, value) + " " + unit;
    String bound = String.format(Locale.ROOT, pattern, limit) + " " + unit;
    if (Double.isNaN(value)) {
      return "- " + what + " ≤ " + bound + ": not measured";
    }
    double margin = Math.abs(limit - value);
    String by = String.format(Locale.ROOT, pattern, margin) + " " + unit;
    return value <= limit
        ? "- " + what + " ≤ " + bound + ": **met** (" + measured + ", " + by + " to spare)"
        : "- " + what + " ≤ " + bound + ": **NOT met** (" + measured + ", over by " + by + ")";
  }
}
