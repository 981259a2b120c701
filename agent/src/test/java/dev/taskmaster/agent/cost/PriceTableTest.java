package dev.taskmaster.agent.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceTableTest {

  private final PriceTable defaults = PriceTable.defaults();

  @Test
  void theBundledTablePricesTheSampleAppsModelsWithTheDateTheyWereChecked() {
    ModelPrice mini = defaults.price("gpt-4o-mini");
    assertEquals(new BigDecimal("0.15"), mini.inputPerMillion());
    assertEquals(new BigDecimal("0.60"), mini.outputPerMillion());
    assertEquals(new BigDecimal("0.075"), mini.cachedInputPerMillion());
    assertNotNull(mini.checked());

    ModelPrice local = defaults.price("llama3.2");
    assertEquals(0, local.inputPerMillion().signum());
    assertEquals(0, local.outputPerMillion().signum());
    for (ModelPrice price : defaults.entries()) {
      assertTrue(price.checked().matches("\\d{4}-\\d{2}-\\d{2}"), price.model());
    }
  }

  @Test
  void versionedNamesArePricedByTheLongestEntryTheyExtendAndNothingElseIsGuessed() {
    assertEquals("gpt-4o-mini", defaults.price("gpt-4o-mini-2024-07-18").model());
    assertEquals("gpt-4o", defaults.price("gpt-4o-2024-08-06").model());
    assertEquals("gpt-4o-2024-05-13", defaults.price("gpt-4o-2024-05-13").model(), "exact wins");
    assertEquals("gpt-4.1-mini", defaults.price("gpt-4.1-mini-2025-04-14").model());
    assertEquals("llama3.2", defaults.price("llama3.2:3b").model());
    assertEquals("llama3.2", defaults.price("llama3.2:latest").model());
    assertEquals("gpt-4o-mini", defaults.price("GPT-4o-Mini").model(), "case is ignored");
    assertEquals("gpt-4o", defaults.price("gpt-4o@2024-08-06").model());
    assertEquals("gpt-4o", defaults.price("gpt-4o-latest").model());

    assertNull(defaults.price("gpt-4o-audio-preview"), "a different model, not a version");
    assertNull(defaults.price("gpt-4"));
    assertNull(defaults.price("gpt-4o-"));
    assertNull(defaults.price("llama3"));
    assertNull(defaults.price("unknown"));
    assertNull(defaults.price(null));
  }

  @Test
  void aCallCostsItsTokensExactlyWithCachedInputAtItsOwnRate() {
    ModelPrice mini = defaults.price("gpt-4o-mini");

    assertEquals(0, new BigDecimal("0.0005253").compareTo(mini.cost(1234, 567, -1)));
    // 600 uncached * 0.15 + 400 cached * 0.075 + 100 * 0.60 = 90 + 30 + 60 per million.
    assertEquals(0, new BigDecimal("0.00018").compareTo(mini.cost(1000, 100, 400)));
    // Unknown counts cost nothing; cached tokens are never more than the input.
    assertEquals(0, new BigDecimal("0.00006").compareTo(mini.cost(-1, 100, -1)));
    assertEquals(0, new BigDecimal("0.0000075").compareTo(mini.cost(100, 0, 500)));
    ModelPrice noCacheRate = defaults.price("gpt-4o-2024-05-13");
    assertEquals(0, new BigDecimal("0.005").compareTo(noCacheRate.cost(1000, 0, 1000)));
  }

  @Test
  void aFileOverridesAndExtendsTheBundledTable() {
    List<String> problems = new ArrayList<>();
    PriceTable file =
        PriceTable.parse(
            "{\"gpt-4o-mini\": {\"input_per_million\": 0.1, \"output_per_million\": 0.4},"
                + " \"my-finetune\": {\"input_per_million\": 3, \"output_per_million\": 12,"
                + " \"cached_input_per_million\": 1.5, \"checked\": \"2026-12-01\"}}",
            problems);
    PriceTable merged = defaults.with(file);

    assertEquals(List.of(), problems);
    assertEquals(new BigDecimal("0.1"), merged.price("gpt-4o-mini").inputPerMillion());
    assertEquals(
        new BigDecimal("0.1"),
        merged.price("gpt-4o-mini").cachedInputPerMillion(),
        "an override without a cached rate prices cached input as input");
    assertEquals(new BigDecimal("1.5"), merged.price("my-finetune:7b").cachedInputPerMillion());
    assertEquals(new BigDecimal("2.50"), merged.price("gpt-4o").inputPerMillion());
  }

  @Test
  void badEntriesAreLeftOutWithOneSentenceEachAndTheRestIsKept() {
    List<String> problems = new ArrayList<>();
    PriceTable table =
        PriceTable.parse(
            "{\"a\": {\"input_per_million\": -1, \"output_per_million\": 1},"
                + " \"b\": {\"output_per_million\": 1},"
                + " \"c\": 3,"
                + " \"d\": {\"input_per_million\": \"1\", \"output_per_million\": 1},"
                + " \"e\": {\"input_per_million\": 1, \"output_per_million\": 2, \"ouput\": 3},"
                + " \"f\": {\"input_per_million\": 1, \"output_per_million\": 2,"
                + " \"cached_input_per_million\": true}}",
            problems);

    assertNull(table.price("a"));
    assertNull(table.price("b"));
    assertNull(table.price("c"));
    assertNull(table.price("d"));
    assertNotNull(table.price("e"));
    assertEquals(BigDecimal.ONE, table.price("f").cachedInputPerMillion());
    assertEquals(
        List.of(
            "entry \"a\" is left out: input_per_million=-1 is not accepted; expected a number of"
                + " US dollars, 0 or more",
            "entry \"b\" is left out: input_per_million is missing (US dollars, >= 0)",
            "entry \"c\" is left out: expected a model name mapped to an object such as"
                + " {\"input_per_million\": 0.15, \"output_per_million\": 0.6}",
            "entry \"d\" is left out: input_per_million=\"1\" is not accepted; expected a number"
                + " of US dollars, 0 or more",
            "entry \"e\": unknown field \"ouput\" is ignored; the fields are input_per_million,"
                + " output_per_million, cached_input_per_million, checked, source",
            "entry \"f\": cached_input_per_million=true is not accepted; expected a number of US"
                + " dollars, 0 or more"),
        problems);
  }

  @Test
  void aFileThatIsNotAnObjectIsRejectedWhole() {
    List<String> problems = new ArrayList<>();
    assertThrows(IllegalArgumentException.class, () -> PriceTable.parse("[1, 2]", problems));
    assertThrows(IllegalArgumentException.class, () -> PriceTable.parse("{\"a\": ", problems));
  }
}
