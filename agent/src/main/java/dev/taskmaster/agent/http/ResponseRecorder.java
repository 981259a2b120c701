package dev.taskmaster.agent.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records the bytes of one model response as the application reads them, for {@link ResponseParser}
 * to read later on another thread.
 *
 * <p>{@code onBytes} runs on the application's reading thread, so it only copies bytes into
 * fixed-size pages (up to a cap) and, when a chunk holds a line end, notes one <em>mark</em>: the
 * offset after the chunk's last line end and the time the chunk arrived. Every line that ends
 * before a mark's offset had arrived by the mark's time, which is all the timing the parser needs
 * for time to first token. Beyond the cap nothing more is kept, {@link #overflowed()} turns true,
 * and bytes are still counted. Pages ({@value #PAGE_SIZE} bytes each, one per {@value #PAGE_SIZE}
 * captured bytes) and pages of marks (one per 64 chunks) come from a bounded {@link PagePool} that
 * {@link #release()} refills after parsing, so once the pool is warm the allocation on that thread
 * is the recorder itself and now and then a doubled index of pages; nothing per chunk.
 *
 * <p>Threads: the bytes of a response arrive on one thread at a time, though not always the same
 * one (asynchronous clients hand each chunk over with a happens-before edge, which this class
 * relies on). {@link #complete()}, {@link #fail(Throwable)} and {@link #cancel()} may come from any
 * thread, even while bytes arrive: the first one ends the recording, returns true, and freezes what
 * was captured; later ones, and bytes arriving after the end, are ignored. Nothing here throws to
 * the caller.
 */
public final class ResponseRecorder {

  /** Configuration key of the capture limit per response, in bytes. */
  public static final String CONFIG_KEY = "http.capture.max-bytes";

  /** Default value of {@value #CONFIG_KEY}: 1 MiB. */
  public static final int DEFAULT_MAX_BYTES = 1 << 20;

  /** How a recording ended. */
  public enum Outcome {
    /** Not ended yet. */
    OPEN,
    /** The application read the response to its end. */
    COMPLETED,
    /** Reading failed with an exception. */
    FAILED,
    /** The application cancelled the call or closed the response before its end. */
    CANCELLED
  }

  static final int PAGE_SHIFT = 10;
  static final int PAGE_SIZE = 1 << PAGE_SHIFT;
  private static final int PAGE_MASK = PAGE_SIZE - 1;
  private static final int MARK_SHIFT = 6;
  private static final int MARK_PAGE = 1 << MARK_SHIFT;
  private static final int MARK_MASK = MARK_PAGE - 1;

  /** Passed as {@code now} to take {@link System#nanoTime()} only when a time is needed. */
  static final long NO_TIME = Long.MIN_VALUE;

  private static final int OPEN = 0;
  private static final int ENDING = 1;
  private static final Outcome[] OUTCOMES = {
    Outcome.OPEN, Outcome.OPEN, Outcome.COMPLETED, Outcome.FAILED, Outcome.CANCELLED
  };

  private static final VarHandle PUBLISHED;
  private static final VarHandle PAGES;
  private static final VarHandle MARK_OFFSETS;
  private static final VarHandle MARK_TIMES;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PUBLISHED = lookup.findVarHandle(ResponseRecorder.class, "published", long.class);
      PAGES = lookup.findVarHandle(ResponseRecorder.class, "pages", byte[][].class);
      MARK_OFFSETS = lookup.findVarHandle(ResponseRecorder.class, "markOffsets", int[][].class);
      MARK_TIMES = lookup.findVarHandle(ResponseRecorder.class, "markTimes", long[][].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int maxBytes;
  private final int maxMarks;
  private final long startNanos;
  private final AtomicInteger state = new AtomicInteger(OPEN);

  // Written by the reading thread only. An index array that grows is replaced with a release
  // store, so that a parser racing a late chunk never sees a new index before its contents.
  private byte[][] pages;
  private int size;
  private long totalBytes;
  private boolean overflowed;
  private boolean anyByte;
  private long firstByteNanos;
  private int[][] markOffsets;
  private long[][] markTimes;
  private int markCount;

  /** {@code markCount << 32 | size}, stored with release semantics after each chunk. */
  @SuppressWarnings("unused")
  private long published;

  // Written once by the thread that ends the recording, before the state turns final.
  private long endNanos;
  private long frozen;
  private long frozenTotalBytes;
  private boolean frozenOverflowed;
  private long frozenFirstByte;
  private String failure;

  // Written by the thread that parsed the recording, once it gave the pages back.
  private boolean released;

  /**
   * @param maxBytes how many bytes to keep ({@value #CONFIG_KEY}); 0 or less keeps none but still
   *     counts bytes and times the first one
   * @param startNanos {@link System#nanoTime()} when the request was sent
   */
  public ResponseRecorder(int maxBytes, long startNanos) {
    this.maxBytes = Math.max(0, maxBytes);
    this.maxMarks = Math.max(256, this.maxBytes >>> 6);
    this.startNanos = startNanos;
  }

  /** Records {@code b[off, off + len)} as the next bytes of the response. Reading thread. */
  public void onBytes(byte[] b, int off, int len) {
    onBytes(b, off, len, NO_TIME);
  }

  /**
   * Records the buffer's remaining bytes, from its position to its limit, leaving position, limit
   * and mark as they were. Reading thread.
   */
  public void onBytes(ByteBuffer buffer) {
    onBytes(buffer, NO_TIME);
  }

  /** Records one byte as returned by {@code InputStream.read()}; -1 (end of stream) is ignored. */
  public void onByte(int value) {
    if (value < 0 || state.get() != OPEN) {
      return;
    }
    try {
      if (size < maxBytes) {
        page(size >>> PAGE_SHIFT)[size & PAGE_MASK] = (byte) value;
        recorded(1, 1, NO_TIME);
      } else {
        recorded(1, 0, NO_TIME);
      }
    } catch (RuntimeException e) {
      overflowed = true;
    }
  }

  void onBytes(byte[] b, int off, int len, long now) {
    if (b == null || off < 0 || len <= 0 || off > b.length - len || state.get() != OPEN) {
      return;
    }
    try {
      int kept = Math.min(len, maxBytes - size);
      for (int done = 0; done < kept; ) {
        int position = size + done;
        int count = Math.min(kept - done, PAGE_SIZE - (position & PAGE_MASK));
        System.arraycopy(b, off + done, page(position >>> PAGE_SHIFT), position & PAGE_MASK, count);
        done += count;
      }
      recorded(len, kept, now);
    } catch (RuntimeException e) {
      // Only a broken contract (two threads at once) gets here: flag the capture, never throw.
      overflowed = true;
    }
  }

  void onBytes(ByteBuffer buffer, long now) {
    if (buffer == null || state.get() != OPEN) {
      return;
    }
    try {
      int start = buffer.position();
      int len = buffer.limit() - start;
      if (len <= 0) {
        return;
      }
      if (buffer.hasArray()) {
        onBytes(buffer.array(), buffer.arrayOffset() + start, len, now);
        return;
      }
      int kept = Math.min(len, maxBytes - size);
      for (int done = 0; done < kept; ) {
        int position = size + done;
        int count = Math.min(kept - done, PAGE_SIZE - (position & PAGE_MASK));
        // Absolute bulk get: the buffer's position and limit stay untouched.
        buffer.get(start + done, page(position >>> PAGE_SHIFT), position & PAGE_MASK, count);
        done += count;
      }
      recorded(len, kept, now);
    } catch (RuntimeException e) {
      overflowed = true;
    }
  }

  /** Accounts for a chunk whose first {@code kept} bytes were just copied behind {@link #size}. */
  private void recorded(int len, int kept, long now) {
    totalBytes += len;
    if (kept < len) {
      overflowed = true;
    }
    int start = size;
    size = start + kept;
    int lineEnd = kept > 0 ? lastLineEnd(start, size) : -1;
    if (!anyByte || (lineEnd >= 0 && markCount < maxMarks)) {
      if (now == NO_TIME) {
        now = System.nanoTime();
      }
      if (!anyByte) {
        anyByte = true;
        firstByteNanos = now;
      }
      if (lineEnd >= 0 && markCount < maxMarks) {
        addMark(lineEnd, now);
      }
    }
    PUBLISHED.setRelease(this, ((long) markCount << 32) | size);
  }

  /** Offset just after the last {@code \n} or {@code \r} in {@code [from, to)}, or -1. */
  private int lastLineEnd(int from, int to) {
    int position = to;
    while (position > from) {
      int pageStart = (position - 1) & ~PAGE_MASK;
      byte[] page = pages[pageStart >>> PAGE_SHIFT];
      int low = Math.max(from, pageStart) - pageStart;
      for (int i = position - 1 - pageStart; i >= low; i--) {
        byte c = page[i];
        if (c == '\n' || c == '\r') {
          return pageStart + i + 1;
        }
      }
      position = pageStart;
    }
    return -1;
  }

  private byte[] page(int index) {
    byte[][] all = pages;
    if (all == null || index >= all.length) {
      int capacity = Math.min(all == null ? 4 : all.length * 2, pagesFor(maxBytes));
      byte[][] grown = new byte[capacity][];
      if (all != null) {
        System.arraycopy(all, 0, grown, 0, all.length);
      }
      PAGES.setRelease(this, grown);
      all = grown;
    }
    byte[] page = all[index];
    if (page == null) {
      page = PagePool.BYTES.take();
      if (page == null) {
        page = new byte[PAGE_SIZE];
      }
      all[index] = page;
    }
    return page;
  }

  private static int pagesFor(int bytes) {
    return (int) (((long) bytes + PAGE_SIZE - 1) >>> PAGE_SHIFT);
  }

  private void addMark(int offset, long now) {
    int index = markCount >>> MARK_SHIFT;
    if (markOffsets == null || index == markOffsets.length) {
      int capacity = markOffsets == null ? 4 : index * 2;
      int[][] offsets = new int[capacity][];
      long[][] times = new long[capacity][];
      if (markOffsets != null) {
        System.arraycopy(markOffsets, 0, offsets, 0, index);
        System.arraycopy(markTimes, 0, times, 0, index);
      }
      MARK_OFFSETS.setRelease(this, offsets);
      MARK_TIMES.setRelease(this, times);
    }
    if (markOffsets[index] == null) {
      int[] offsets = PagePool.MARK_OFFSETS.take();
      long[] times = PagePool.MARK_TIMES.take();
      markOffsets[index] = offsets == null ? new int[MARK_PAGE] : offsets;
      markTimes[index] = times == null ? new long[MARK_PAGE] : times;
    }
    markOffsets[index][markCount & MARK_MASK] = offset;
    markTimes[index][markCount & MARK_MASK] = now;
    markCount++;
  }

  /**
   * Flags the capture as incomplete, as if the cap had been reached. Reading thread, before the
   * end.
   */
  void markOverflowed() {
    overflowed = true;
  }

  /** The application read the response to its end. Returns whether this call ended it. */
  public boolean complete() {
    return end(Outcome.COMPLETED, System.nanoTime(), null);
  }

  /**
   * Reading the response failed. Only the exception's class name is kept: messages may quote URLs
   * with their query strings. Returns whether this call ended the recording.
   */
  public boolean fail(Throwable error) {
    return end(Outcome.FAILED, System.nanoTime(), error);
  }

  /** The call was cancelled or the response closed early. Returns whether this call ended it. */
  public boolean cancel() {
    return end(Outcome.CANCELLED, System.nanoTime(), null);
  }

  boolean end(Outcome outcome, long now, Throwable error) {
    if (outcome == Outcome.OPEN || !state.compareAndSet(OPEN, ENDING)) {
      return false;
    }
    endNanos = now;
    frozen = (long) PUBLISHED.getAcquire(this);
    // Racy if bytes are still arriving on another thread (a cancel): the value is one that was
    // written, which is all a count of bytes needs.
    frozenTotalBytes = totalBytes;
    frozenOverflowed = overflowed;
    frozenFirstByte = anyByte ? firstByteNanos - startNanos : -1;
    failure = error == null ? null : error.getClass().getName();
    state.set(outcome.ordinal() + 1);
    return true;
  }

  /**
   * Gives the recording's pages back to the {@link PagePool} once it has been read, for later
   * recordings to reuse; afterwards the recording reads as empty (no bytes, no marks), while its
   * outcome, times and byte count stay. Only a {@link Outcome#COMPLETED completed} recording gives
   * its pages back: every client hook completes a response after its last bytes (on the thread that
   * saw its end, or with a happens-before edge), so no chunk can still be landing in a page. A
   * failed or cancelled one may have bytes arriving on another thread; its pages are left to the
   * garbage collector. Call from the thread that parsed the recording, after parsing.
   *
   * @return whether the pages were given back
   */
  public boolean release() {
    if (state.get() != Outcome.COMPLETED.ordinal() + 1 || released) {
      return false;
    }
    released = true;
    frozen = 0;
    byte[][] all = pages;
    int[][] offsets = markOffsets;
    long[][] times = markTimes;
    PAGES.setRelease(this, null);
    MARK_OFFSETS.setRelease(this, null);
    MARK_TIMES.setRelease(this, null);
    if (all != null) {
      for (int i = 0; i < all.length && all[i] != null; i++) {
        PagePool.BYTES.give(all[i]);
      }
    }
    if (offsets != null) {
      for (int i = 0; i < offsets.length && offsets[i] != null; i++) {
        PagePool.MARK_OFFSETS.give(offsets[i]);
        PagePool.MARK_TIMES.give(times[i]);
      }
    }
    return true;
  }

  /** How the recording ended, or {@link Outcome#OPEN}. */
  public Outcome outcome() {
    return OUTCOMES[state.get()];
  }

  /** Whether the recording has ended (its end fields are final). */
  public boolean isEnded() {
    return state.get() > ENDING;
  }

  /** {@link System#nanoTime()} when the request was sent. */
  public long startNanos() {
    return startNanos;
  }

  /** {@link System#nanoTime()} at the end; only meaningful once {@link #isEnded()}. */
  long endNanos() {
    return endNanos;
  }

  /** Nanoseconds from start to end, or -1 while open. */
  public long durationNanos() {
    return isEnded() ? endNanos - startNanos : -1;
  }

  /** Nanoseconds from start to the first response byte, or -1 when none arrived. */
  public long timeToFirstByteNanos() {
    if (isEnded()) {
      return frozenFirstByte;
    }
    PUBLISHED.getAcquire(this);
    return anyByte ? firstByteNanos - startNanos : -1;
  }

  /** Bytes the application read, including those past the capture limit. */
  public long totalBytes() {
    if (isEnded()) {
      return frozenTotalBytes;
    }
    PUBLISHED.getAcquire(this);
    return totalBytes;
  }

  /** Whether bytes were dropped because the capture limit was reached. */
  public boolean overflowed() {
    if (isEnded()) {
      return frozenOverflowed;
    }
    PUBLISHED.getAcquire(this);
    return overflowed;
  }

  /** The exception class name passed to {@link #fail(Throwable)}, or {@code null}. */
  public String failure() {
    return isEnded() ? failure : null;
  }

  /** The capture limit in bytes. */
  public int maxBytes() {
    return maxBytes;
  }

  /** {@code markCount << 32 | capturedBytes}, frozen at the end, else the latest published. */
  long snapshot() {
    return isEnded() ? frozen : (long) PUBLISHED.getAcquire(this);
  }

  static int capturedBytes(long snapshot) {
    return (int) snapshot;
  }

  static int markCount(long snapshot) {
    return (int) (snapshot >>> 32);
  }

  /**
   * Copies the first captured bytes, at most {@code maxBytes} of them. Safe from any thread; bytes
   * still arriving on the reading thread may or may not be included.
   */
  public byte[] capturedHead(int maxBytes) {
    return copyBytes(Math.min(Math.max(0, maxBytes), capturedBytes(snapshot())));
  }

  /** Copies the first {@code count} captured bytes (at most {@link #capturedBytes(long)}). */
  byte[] copyBytes(int count) {
    byte[][] all = (byte[][]) PAGES.getAcquire(this);
    if (all == null) {
      return new byte[0];
    }
    byte[] copy = new byte[count];
    for (int done = 0; done < count; ) {
      int length = Math.min(PAGE_SIZE, count - done);
      System.arraycopy(all[done >>> PAGE_SHIFT], 0, copy, done, length);
      done += length;
    }
    return copy;
  }

  /** Offset after the last line end of the chunk that made mark {@code index}. */
  int markOffset(int index) {
    int[][] offsets = (int[][]) MARK_OFFSETS.getAcquire(this);
    return offsets[index >>> MARK_SHIFT][index & MARK_MASK];
  }

  /** {@link System#nanoTime()} when the chunk that made mark {@code index} arrived. */
  long markNanos(int index) {
    long[][] times = (long[][]) MARK_TIMES.getAcquire(this);
    return times[index >>> MARK_SHIFT][index & MARK_MASK];
  }
}
