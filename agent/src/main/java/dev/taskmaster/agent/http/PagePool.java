package dev.taskmaster.agent.http;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Pages of recordings that have been parsed, kept for later recordings so that capturing a body
 * allocates nothing on the application's reading thread once the agent has seen a few responses.
 * Bounded: beyond {@code capacity} pages a returned page is left to the garbage collector, so the
 * pool never holds more than {@code capacity} pages however many calls run at once.
 *
 * <p>A page comes back with whatever bytes it held: a recorder only ever reads the part of a page
 * it wrote itself.
 */
final class PagePool<T> {

  /** Byte pages of {@link ResponseRecorder#PAGE_SIZE}: 256 of them, 256 KiB at most. */
  static final PagePool<byte[]> BYTES = new PagePool<>(256);

  /** Mark offset pages of {@code ResponseRecorder.MARK_PAGE} ints: 64 of them, 16 KiB at most. */
  static final PagePool<int[]> MARK_OFFSETS = new PagePool<>(64);

  /** Mark time pages of {@code ResponseRecorder.MARK_PAGE} longs: 64 of them, 32 KiB at most. */
  static final PagePool<long[]> MARK_TIMES = new PagePool<>(64);

  private final Object[] free;
  private int count;
  // A lock rather than a monitor: a virtual thread waiting for it unmounts instead of pinning.
  private final ReentrantLock lock = new ReentrantLock();

  PagePool(int capacity) {
    free = new Object[capacity];
  }

  /** A page from the pool, or {@code null} when it is empty. */
  @SuppressWarnings("unchecked")
  T take() {
    lock.lock();
    try {
      if (count == 0) {
        return null;
      }
      T page = (T) free[--count];
      free[count] = null;
      return page;
    } finally {
      lock.unlock();
    }
  }

  /** Gives a page back; the caller must not touch it afterwards. */
  void give(T page) {
    lock.lock();
    try {
      if (page != null && count < free.length) {
        free[count++] = page;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Pages in the pool now. */
  int size() {
    lock.lock();
    try {
      return count;
    } finally {
      lock.unlock();
    }
  }
}
