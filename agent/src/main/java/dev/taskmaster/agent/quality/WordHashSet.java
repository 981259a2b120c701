package dev.taskmaster.agent.quality;

/**
 * Counts distinct 64-bit word hashes without allocating per word: open addressing, cleared in O(1)
 * by a generation stamp. Grows up to {@link #MAX_CAPACITY} slots; past half of that, new words are
 * no longer told apart (a limit only a response of more than 65,536 distinct words reaches).
 */
final class WordHashSet {

  static final int MAX_CAPACITY = 1 << 17;

  private long[] keys;
  private int[] stamps;
  private int generation = 1;
  private int size;

  WordHashSet(int initialCapacity) {
    int capacity = Integer.highestOneBit(Math.max(16, initialCapacity - 1)) << 1;
    keys = new long[capacity];
    stamps = new int[capacity];
  }

  void clear() {
    size = 0;
    generation++;
    if (generation == Integer.MAX_VALUE) {
      java.util.Arrays.fill(stamps, 0);
      generation = 1;
    }
  }

  int size() {
    return size;
  }

  /** Adds a hash; returns whether it was new. */
  boolean add(long hash) {
    if (size * 2 >= keys.length && !grow()) {
      return false;
    }
    return insert(hash);
  }

  private boolean insert(long hash) {
    int mask = keys.length - 1;
    int i = (int) mix(hash) & mask;
    while (stamps[i] == generation) {
      if (keys[i] == hash) {
        return false;
      }
      i = (i + 1) & mask;
    }
    keys[i] = hash;
    stamps[i] = generation;
    size++;
    return true;
  }

  private boolean grow() {
    if (keys.length >= MAX_CAPACITY) {
      return false;
    }
    long[] oldKeys = keys;
    int[] oldStamps = stamps;
    int oldGeneration = generation;
    keys = new long[oldKeys.length * 2];
    stamps = new int[oldKeys.length * 2];
    generation = 1;
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldStamps[i] == oldGeneration) {
        insert(oldKeys[i]);
      }
    }
    return true;
  }

  static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }
}
