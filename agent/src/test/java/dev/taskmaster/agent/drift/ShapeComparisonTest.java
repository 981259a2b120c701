package dev.taskmaster.agent.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShapeComparisonTest {

  private static double[] normal(Random random, int n, double shift, double scale) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = shift + scale * random.nextGaussian();
    }
    Arrays.sort(values);
    return values;
  }

  @Test
  void identicalSamplesDoNotDiffer() {
    double[] a = normal(new Random(1), 500, 0, 1);
    ShapeComparison.Result result = ShapeComparison.compare(a, a.clone());
    assertEquals(0, result.ks);
    assertEquals(0, result.wasserstein);
    assertEquals(0, result.logPValue);
  }

  @Test
  void theWassersteinDistanceOfAShiftIsTheShift() {
    double[] a = normal(new Random(2), 400, 0, 1);
    double[] b = a.clone();
    for (int i = 0; i < b.length; i++) {
      b[i] += 0.7;
    }
    assertEquals(0.7, ShapeComparison.compare(a, b).wasserstein, 1e-9);
  }

  @Test
  void disjointSamplesHaveTheLargestStatistic() {
    double[] a = {1, 2, 3, 4};
    double[] b = {5, 6, 7};
    ShapeComparison.Result result = ShapeComparison.compare(a, b);
    assertEquals(1, result.ks);
    assertEquals(3.5, result.wasserstein, 1e-12);
  }

  @Test
  void samplesOfOneDistributionRarelyLookDifferent() {
    Random random = new Random(3);
    int clear = 0;
    for (int trial = 0; trial < 200; trial++) {
      ShapeComparison.Result result =
          ShapeComparison.compare(normal(random, 1000, 0, 1), normal(random, 500, 0, 1));
      if (result.logPValue < Math.log(0.01)) {
        clear++;
      }
    }
    assertTrue(clear <= 8, "p < 0.01 in " + clear + " of 200 trials");
  }

  @Test
  void aDoubledSpreadIsClear() {
    Random random = new Random(4);
    ShapeComparison.Result result =
        ShapeComparison.compare(normal(random, 1000, 0, 1), normal(random, 500, 0, 2));
    assertTrue(result.logPValue < Math.log(1e-6), "log p = " + result.logPValue);
    assertEquals(0.8, result.wasserstein, 0.15);
  }

  @Test
  void theKolmogorovTailMatchesKnownValues() {
    // Q(1.36) = 0.049, Q(1.63) = 0.0098, from the Kolmogorov distribution's table.
    assertEquals(0.049, Math.exp(ShapeComparison.logKolmogorovTail(1.36)), 0.001);
    assertEquals(0.0098, Math.exp(ShapeComparison.logKolmogorovTail(1.63)), 0.0005);
    assertEquals(0.27, Math.exp(ShapeComparison.logKolmogorovTail(1.0)), 0.005);
  }
}
