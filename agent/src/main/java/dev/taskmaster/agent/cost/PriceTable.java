package dev.taskmaster.agent.cost;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prices per model, in US dollars per million tokens: a small bundled table ({@code
 * default-prices.json} next to this class), which a JSON file can override and extend:
 *
 * <pre>{@code
 * {"gpt-4o-mini": {"input_per_million": 0.15, "output_per_million": 0.60,
 *                  "cached_input_per_million": 0.075, "checked": "2025-06-01"}}
 * }</pre>
 *
 * <p>A model name matches an entry exactly (ignoring case). Otherwise it matches the longest entry
 * that it extends by a version tag: {@code :} and anything (Ollama tags: {@code llama3.2:3b} is
 * priced as {@code llama3.2}), or {@code -} or {@code @} followed by a digit or {@code latest}
 * (dated snapshots: {@code gpt-4o-mini-2024-07-18} is priced as {@code gpt-4o-mini}, not {@code
 * gpt-4o}). A name such as {@code gpt-4o-audio-preview} matches nothing, and stays unpriced rather
 * than priced as {@code gpt-4o}. Immutable and thread-safe.
 */
public final class PriceTable {

  /** The bundled table, a resource next to this class. */
  public static final String DEFAULTS_RESOURCE = "default-prices.json";

  private static final List<String> FIELDS =
      List.of(
          "input_per_million",
          "output_per_million",
          "cached_input_per_million",
          "checked",
          "source");

  private final Map<String, ModelPrice> byName;
  private final Map<String, Optional<ModelPrice>> lookups = new ConcurrentHashMap<>();

  private PriceTable(Map<String, ModelPrice> byName) {
    this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
  }

  /** A table of exactly these prices. */
  public static PriceTable of(List<ModelPrice> prices) {
    Map<String, ModelPrice> byName = new LinkedHashMap<>();
    for (ModelPrice price : prices) {
      byName.put(price.model().toLowerCase(Locale.ROOT), price);
    }
    return new PriceTable(byName);
  }

  /** The bundled table. */
  public static PriceTable defaults() {
    try (InputStream in = PriceTable.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the agent jar");
      }
      List<String> problems = new ArrayList<>();
      PriceTable table = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), problems);
      if (!problems.isEmpty()) {
        throw new IllegalStateException(DEFAULTS_RESOURCE + ": " + problems);
      }
      return table;
    } catch (IOException unreadable) {
      throw new IllegalStateException("cannot read " + DEFAULTS_RESOURCE, unreadable);
    }
  }

  /**
   * Reads a price file.
   *
   * @param problems receives one sentence per entry or field that was left out
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when it is not a JSON object
   */
  public static PriceTable read(Path file, List<String> problems) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), problems);
  }

  /**
   * Parses a price table: a JSON object from model name to prices. An entry without a valid input
   * or output price is left out; an unknown field is ignored. Each is reported in {@code problems}.
   *
   * @throws IllegalArgumentException when the text is not a JSON object
   */
  public static PriceTable parse(String json, List<String> problems) {
    JsonElement root;
    try {
      root = JsonParser.parseString(json);
    } catch (RuntimeException malformed) {
      throw new IllegalArgumentException("not valid JSON (" + malformed.getMessage() + ")");
    }
    if (!root.isJsonObject()) {
      throw new IllegalArgumentException(
          "expected a JSON object from model name to prices, found " + kind(root));
    }
    Map<String, ModelPrice> byName = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> entry : root.getAsJsonObject().entrySet()) {
      String model = entry.getKey().trim();
      if (model.isEmpty() || !entry.getValue().isJsonObject()) {
        problems.add(
            "entry \""
                + model
                + "\" is left out: expected a model name mapped to an object such as"
                + " {\"input_per_million\": 0.15, \"output_per_million\": 0.6}");
        continue;
      }
      ModelPrice price = price(model, entry.getValue().getAsJsonObject(), problems);
      if (price != null) {
        byName.put(model.toLowerCase(Locale.ROOT), price);
      }
    }
    return new PriceTable(byName);
  }

  /**
   * This table with every entry of {@code overrides} added, replacing an entry of the same name.
   */
  public PriceTable with(PriceTable overrides) {
    Map<String, ModelPrice> merged = new LinkedHashMap<>(byName);
    merged.putAll(overrides.byName);
    return new PriceTable(merged);
  }

  /** The price of a model, by the matching rule above, or {@code null} when it has none. */
  public ModelPrice price(String model) {
    if (model == null) {
      return null;
    }
    return lookups.computeIfAbsent(model, name -> Optional.ofNullable(match(name))).orElse(null);
  }

  /** Every entry, in the order read. */
  public List<ModelPrice> entries() {
    return List.copyOf(byName.values());
  }

  private ModelPrice match(String model) {
    String name = model.toLowerCase(Locale.ROOT);
    ModelPrice exact = byName.get(name);
    if (exact != null) {
      return exact;
    }
    ModelPrice best = null;
    int bestLength = -1;
    for (Map.Entry<String, ModelPrice> entry : byName.entrySet()) {
      String prefix = entry.getKey();
      if (prefix.length() > bestLength
          && name.startsWith(prefix)
          && isVersionTag(name.substring(prefix.length()))) {
        best = entry.getValue();
        bestLength = prefix.length();
      }
    }
    return best;
  }

  /** {@code :tag}, or {@code -} or {@code @} followed by a digit or {@code latest}. */
  static boolean isVersionTag(String rest) {
    if (rest.length() < 2) {
      return false;
    }
    char separator = rest.charAt(0);
    if (separator == ':') {
      return true;
    }
    return (separator == '-' || separator == '@')
        && (Character.isDigit(rest.charAt(1)) || rest.substring(1).equals("latest"));
  }

  private static ModelPrice price(String model, JsonObject fields, List<String> problems) {
    for (String field : fields.keySet()) {
      if (!FIELDS.contains(field)) {
        problems.add(
            "entry \""
                + model
                + "\": unknown field \""
                + field
                + "\" is ignored; the fields are "
                + String.join(", ", FIELDS));
      }
    }
    BigDecimal input = amount(model, fields, "input_per_million", true, problems);
    BigDecimal output = amount(model, fields, "output_per_million", true, problems);
    BigDecimal cached = amount(model, fields, "cached_input_per_million", false, problems);
    if (input == null || output == null) {
      return null;
    }
    return new ModelPrice(
        model, input, output, cached, text(fields, "checked"), text(fields, "source"));
  }

  private static BigDecimal amount(
      String model, JsonObject fields, String field, boolean required, List<String> problems) {
    JsonElement value = fields.get(field);
    if (value == null || value.isJsonNull()) {
      if (required) {
        problems.add(
            "entry \"" + model + "\" is left out: " + field + " is missing (US dollars, >= 0)");
      }
      return null;
    }
    if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
      BigDecimal amount = value.getAsBigDecimal();
      if (amount.signum() >= 0) {
        return amount;
      }
    }
    problems.add(
        "entry \""
            + model
            + "\""
            + (required ? " is left out" : "")
            + ": "
            + field
            + "="
            + value
            + " is not accepted; expected a number of US dollars, 0 or more");
    return null;
  }

  private static String text(JsonObject fields, String field) {
    JsonElement value = fields.get(field);
    return value instanceof JsonPrimitive ? value.getAsString() : null;
  }

  private static String kind(JsonElement element) {
    if (element.isJsonArray()) {
      return "an array";
    }
    return element.isJsonNull() ? "null" : "a single value";
  }
}
