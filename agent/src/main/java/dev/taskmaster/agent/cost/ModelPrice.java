package dev.taskmaster.agent.cost;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The price of one model in US dollars per million tokens: input, output, and input served from the
 * provider's prompt cache. Prices are exact decimals, so that the cost of any number of calls is
 * exact until it is exported.
 */
public final class ModelPrice {

  private final String model;
  private final BigDecimal inputPerMillion;
  private final BigDecimal outputPerMillion;
  private final BigDecimal cachedInputPerMillion;
  private final String checked;
  private final String source;

  /**
   * @param model the table entry this price belongs to
   * @param cachedInputPerMillion {@code null} when cached input costs as much as other input
   * @param checked the date the price was checked, or {@code null}
   * @param source where it was read (a URL, a file), or {@code null}
   */
  public ModelPrice(
      String model,
      BigDecimal inputPerMillion,
      BigDecimal outputPerMillion,
      BigDecimal cachedInputPerMillion,
      String checked,
      String source) {
    this.model = Objects.requireNonNull(model);
    this.inputPerMillion = Objects.requireNonNull(inputPerMillion);
    this.outputPerMillion = Objects.requireNonNull(outputPerMillion);
    this.cachedInputPerMillion = cachedInputPerMillion;
    this.checked = checked;
    this.source = source;
  }

  /** The table entry, such as {@code gpt-4o-mini} for a call to {@code gpt-4o-mini-2024-07-18}. */
  public String model() {
    return model;
  }

  public BigDecimal inputPerMillion() {
    return inputPerMillion;
  }

  public BigDecimal outputPerMillion() {
    return outputPerMillion;
  }

  /** The cached-input price; the input price when the table gives none. */
  public BigDecimal cachedInputPerMillion() {
    return cachedInputPerMillion != null ? cachedInputPerMillion : inputPerMillion;
  }

  /** The date the price was checked, as written in the table, or {@code null}. */
  public String checked() {
    return checked;
  }

  /** Where the price comes from, or {@code null}. */
  public String source() {
    return source;
  }

  /**
   * The exact cost in US dollars of one call. A negative count is unknown and costs nothing; cached
   * tokens are part of the input tokens (as OpenAI-compatible servers report them) and are never
   * counted above them. Its scale is six more than the products' (compare costs by value).
   */
  public BigDecimal cost(long inputTokens, long outputTokens, long cachedInputTokens) {
    long input = Math.max(0, inputTokens);
    long cached = Math.min(input, Math.max(0, cachedInputTokens));
    BigDecimal perMillion =
        inputPerMillion
            .multiply(BigDecimal.valueOf(input - cached))
            .add(cachedInputPerMillion().multiply(BigDecimal.valueOf(cached)))
            .add(outputPerMillion.multiply(BigDecimal.valueOf(Math.max(0, outputTokens))));
    // Exact, as dividing by a million is, without a long division.
    return perMillion.movePointLeft(6);
  }

  @Override
  public String toString() {
    return model
        + ": input "
        + inputPerMillion.toPlainString()
        + ", output "
        + outputPerMillion.toPlainString()
        + (cachedInputPerMillion == null
            ? ""
            : ", cached input " + cachedInputPerMillion.toPlainString())
        + " USD per million tokens";
  }
}
