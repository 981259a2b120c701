package dev.taskmaster.agent.quality;

/**
 * Finds a repetition loop: a run of words that repeats itself, word for word, at least {@code
 * minCopies} times in a row with a period of at most {@code maxPeriod} words, over at least {@code
 * minWords} repeated words. This is what a model stuck in a decoding loop writes; a text that
 * merely reuses its vocabulary (a low distinct-word ratio) is not a loop.
 *
 * <p>One pass over the text. Words are runs of letters and digits, compared ignoring case, by a
 * 64-bit hash. The most recent earlier position of each word trigram (kept in a fixed-size,
 * direct-mapped table: a collision only delays detection, since a loop repeats) gives the candidate
 * period; the run then grows while each word equals the word one period before. Fixed memory; not
 * thread-safe.
 */
final class RepetitionDetector {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final int TABLE_BITS = 12;

  private final int minCopies;
  private final int minWords;
  private final int maxPeriod;
  private final long[] ring;
  private final int ringMask;

  /** Per slot, the trigram and then its generation (high half) and position (low half). */
  private final long[] table = new long[2 << TABLE_BITS];

  private int generation;

  private int position;
  private int period;
  private int run;

  RepetitionDetector(int minCopies, int minWords, int maxPeriod) {
    this.minCopies = minCopies;
    this.minWords = minWords;
    this.maxPeriod = maxPeriod;
    int ringSize = Integer.highestOneBit(maxPeriod + 3) << 1;
    this.ring = new long[ringSize];
    this.ringMask = ringSize - 1;
  }

  /** Whether the text holds a repetition loop. */
  boolean detect(String text) {
    reset();
    long hash = FNV_OFFSET;
    boolean inWord = false;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      char folded = fold(c);
      if (folded != 0) {
        if (!inWord) {
          hash = FNV_OFFSET;
          inWord = true;
        }
        hash = (hash ^ folded) * FNV_PRIME;
      } else if (inWord) {
        inWord = false;
        if (word(hash)) {
          return true;
        }
      }
    }
    return inWord && word(hash);
  }

  /** The character in lower case when it is a letter or digit, else 0; ASCII without a lookup. */
  private static char fold(char c) {
    if (c < 128) {
      if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
        return c;
      }
      return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : 0;
    }
    return Character.isLetterOrDigit(c) ? Character.toLowerCase(c) : 0;
  }

  private void reset() {
    position = 0;
    period = 0;
    run = 0;
    if (++generation == Integer.MAX_VALUE) {
      java.util.Arrays.fill(table, 0);
      generation = 1;
    }
  }

  /** Takes the next word; returns whether a loop is now complete. */
  private boolean word(long hash) {
    int pos = position++;
    ring[pos & ringMask] = hash;
    if (period > 0) {
      if (ring[(pos - period) & ringMask] == hash) {
        run++;
        if (run >= Math.max(minWords, (minCopies - 1) * period)) {
          return true;
        }
      } else {
        period = 0;
        run = 0;
      }
    }
    if (pos < 2) {
      return false;
    }
    long trigram = trigram(ring[(pos - 2) & ringMask], ring[(pos - 1) & ringMask], hash);
    int slot = (int) (trigram >>> (64 - TABLE_BITS)) << 1;
    long entry = table[slot + 1];
    if (period == 0 && (int) (entry >>> 32) == generation && table[slot] == trigram) {
      int distance = pos - (int) entry;
      if (distance <= maxPeriod && sameTrigram(pos, distance)) {
        period = distance;
        run = 3;
      }
    }
    table[slot] = trigram;
    table[slot + 1] = (long) generation << 32 | pos;
    return false;
  }

  private boolean sameTrigram(int pos, int distance) {
    for (int k = 0; k < 3; k++) {
      if (ring[(pos - k) & ringMask] != ring[(pos - k - distance) & ringMask]) {
        return false;
      }
    }
    return true;
  }

  private static long trigram(long a, long b, long c) {
    long h = a * 0x9e3779b97f4a7c15L + b;
    h = h * 0x9e3779b97f4a7c15L + c;
    return WordHashSet.mix(h);
  }
}
