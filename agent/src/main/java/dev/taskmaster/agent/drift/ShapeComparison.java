package dev.taskmaster.agent.drift;

/**
 * Compares two sorted samples: the two-sample Kolmogorov-Smirnov statistic with its asymptotic
 * p-value, and the Wasserstein-1 distance (the area between the two empirical distribution
 * functions: for a pure shift, the shift itself). One merge pass, no allocation but the result.
 */
final class ShapeComparison {

  /** Result of one comparison. */
  static final class Result {
    /** Largest distance between the empirical distribution functions. */
    final double ks;

    /** Natural logarithm of the asymptotic p-value of {@link #ks} (0 means p = 1). */
    final double logPValue;

    /** Wasserstein-1 distance, in the samples' units. */
    final double wasserstein;

    Result(double ks, double logPValue, double wasserstein) {
      this.ks = ks;
      this.logPValue = logPValue;
      this.wasserstein = wasserstein;
    }
  }

  private ShapeComparison() {}

  static Result compare(double[] a, double[] b) {
    int n = a.length;
    int m = b.length;
    int i = 0;
    int j = 0;
    double d = 0;
    double area = 0;
    double previous = Math.min(a[0], b[0]);
    while (i < n || j < m) {
      double x = j >= m || (i < n && a[i] <= b[j]) ? a[i] : b[j];
      area += Math.abs((double) i / n - (double) j / m) * (x - previous);
      while (i < n && a[i] == x) {
        i++;
      }
      while (j < m && b[j] == x) {
        j++;
      }
      d = Math.max(d, Math.abs((double) i / n - (double) j / m));
      previous = x;
    }
    double effective = (double) n * m / (n + m);
    double sqrt = Math.sqrt(effective);
    return new Result(d, logKolmogorovTail((sqrt + 0.12 + 0.11 / sqrt) * d), area);
  }

  /** ln Q(λ), where Q(λ) = 2 Σ (-1)^(j-1) exp(-2 j² λ²) is the Kolmogorov distribution's tail. */
  static double logKolmogorovTail(double lambda) {
    if (lambda < 0.2) {
      return 0;
    }
    double l2 = lambda * lambda;
    if (lambda > 1) {
      // The first term dominates; in logs so that tiny p-values stay comparable.
      return Math.log(2) - 2 * l2 + Math.log1p(-Math.exp(-6 * l2));
    }
    double sum = 0;
    double sign = 1;
    for (int k = 1; k <= 100; k++) {
      double term = sign * Math.exp(-2 * k * k * l2);
      sum += term;
      if (Math.abs(term) < 1e-12) {
        break;
      }
      sign = -sign;
    }
    return Math.log(Math.min(1, Math.max(2 * sum, Double.MIN_VALUE)));
  }
}
