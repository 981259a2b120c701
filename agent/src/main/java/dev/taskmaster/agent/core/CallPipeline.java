package dev.taskmaster.agent.core;

import dev.taskmaster.agent.util.DaemonThreadFactory;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Hands finished calls from the application's threads to one background daemon thread that runs the
 * {@link CallListener}s. The calling thread never waits: when the bounded queue is full, the call
 * skips the listeners and is counted, and its metrics are recorded all the same (see {@link
 * #submit}).
 *
 * <p>The calling thread never wakes the background thread either: that thread looks at the queue
 * again after a pause, {@value #MIN_PAUSE_MILLIS} ms while calls keep coming, growing to {@value
 * #MAX_PAUSE_MILLIS} ms while none do. Waking a parked thread at every call cost the application's
 * thread about 10 µs of CPU and 50 to 80 µs of wall time per call on a 2-core virtual machine (a
 * cross-CPU wake-up), more than the rest of the agent's work on that thread; the price is that a
 * call reaches the listeners up to {@value #MAX_PAUSE_MILLIS} ms after it ended.
 */
public final class CallPipeline {

  /** The background thread's pause while calls keep coming. */
  static final long MIN_PAUSE_MILLIS = 1;

  /** The longest pause, reached after about six empty looks at the queue. */
  static final long MAX_PAUSE_MILLIS = 50;

  /** How often {@link #awaitSubmitted} looks again. */
  private static final long AWAIT_STEP_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

  private final BlockingQueue<PendingCall> queue;

  /** Queue slots that only calls with metrics still to record may take. */
  private final int reserved;

  private final List<CallListener> listeners = new CopyOnWriteArrayList<>();
  private final Consumer<Throwable> failures;
  private final AtomicLong dropped = new AtomicLong();

  /** Calls queued or being processed; {@link #awaitEmpty} waits for the one in hand too. */
  private final AtomicLong unfinished = new AtomicLong();

  /**
   * Calls offered to the queue so far, and of those the ones done with (processed, or refused by a
   * full queue): {@link #awaitSubmitted} compares them.
   */
  private final AtomicLong offered = new AtomicLong();

  private final AtomicLong settled = new AtomicLong();

  private volatile Thread worker;

  private boolean started;

  /**
   * @param capacity how many calls may wait for processing
   * @param failures counts a listener's exception
   */
  public CallPipeline(int capacity, Consumer<Throwable> failures) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.reserved = capacity / 4;
    this.failures = failures;
  }

  /** Adds a listener; calls submitted from now on reach it. */
  public void addListener(CallListener listener) {
    listeners.add(listener);
  }

  /**
   * Queues a call for processing, without waiting. A call that needs no background work beyond the
   * listeners is a {@link ModelCall}, itself a {@link PendingCall}.
   *
   * <p>Under overload a call that finds no room skips the listeners (the call log, quality, drift)
   * and is counted in {@link #dropped()}; its metrics are never lost: a {@link ModelCall} recorded
   * them already, and any other call does its remaining work here, on the calling thread.
   */
  public void submit(PendingCall call) {
    boolean finished = call instanceof ModelCall;
    // A finished call gives way to calls whose metrics depend on the background thread (HTTP
    // responses, whose tokens are parsed there), which keep the last quarter of the queue.
    if (!finished || queue.remainingCapacity() > reserved) {
      offered.incrementAndGet();
      unfinished.incrementAndGet();
      if (queue.offer(call)) {
        return;
      }
      unfinished.decrementAndGet();
      settled.incrementAndGet();
    }
    dropped.incrementAndGet();
    if (!finished) {
      completeHere(call);
    }
  }

  /** Records what a call that found the queue full still had to record, without its listeners. */
  private void completeHere(PendingCall call) {
    try {
      call.describe();
    } catch (Throwable failure) {
      failures.accept(failure);
    }
  }

  /**
   * Starts the background thread. It first runs {@code startup} (the agent's components that are
   * not needed on the application's threads), then processes the calls queued meanwhile and after.
   */
  public void start(Runnable startup) {
    synchronized (this) {
      if (started) {
        return;
      }
      started = true;
    }
    new DaemonThreadFactory("taskmaster-calls").newThread(new Worker(startup)).start();
  }

  /** Calls that skipped the listeners because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Waits until every queued call has been processed, the one the background thread has in hand
   * included, at most {@code timeoutMillis}; used on shutdown. Listeners always run on the one
   * background thread.
   */
  public void awaitEmpty(long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    try {
      while (unfinished.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until every call submitted before this method was called has reached the listeners, at
   * most {@code timeoutMillis}, waking the background thread rather than waiting for its next look
   * at the queue. Requests to the agent's port call it, so that what they show (metrics, costs,
   * feedback ids) includes the calls that returned before them. Returns whether it got there.
   */
  public boolean awaitSubmitted(long timeoutMillis) {
    long target = offered.get();
    if (settled.get() >= target) {
      return true;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (settled.get() < target) {
      if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
        return false;
      }
      Thread thread = worker;
      if (thread != null) {
        LockSupport.unpark(thread);
      }
      LockSupport.parkNanos(this, AWAIT_STEP_NANOS);
    }
    return true;
  }

  /** The background thread: start-up first, then the calls. */
  private final class Worker implements Runnable {
    private final Runnable startup;

    Worker(Runnable startup) {
      this.startup = startup;
    }

    @Override
    public void run() {
      worker = Thread.currentThread();
      try {
        startup.run();
      } catch (Throwable failure) {
        failures.accept(failure);
      }
      processCalls();
    }
  }

  private void processCalls() {
    long pauseNanos = TimeUnit.MILLISECONDS.toNanos(MIN_PAUSE_MILLIS);
    while (true) {
      PendingCall pending = queue.poll();
      if (pending == null) {
        LockSupport.parkNanos(this, pauseNanos);
        if (Thread.interrupted()) {
          return;
        }
        pauseNanos = Math.min(2 * pauseNanos, TimeUnit.MILLISECONDS.toNanos(MAX_PAUSE_MILLIS));
        continue;
      }
      pauseNanos = TimeUnit.MILLISECONDS.toNanos(MIN_PAUSE_MILLIS);
      try {
        dispatch(pending);
      } catch (Throwable unexpected) {
        failures.accept(unexpected);
      } finally {
        unfinished.decrementAndGet();
        settled.incrementAndGet();
      }
    }
  }

  private void dispatch(PendingCall pending) {
    ModelCall call = pending.describe();
    if (call == null) {
      return;
    }
    for (CallListener listener : listeners) {
      try {
        listener.onCall(call);
      } catch (Throwable failure) {
        failures.accept(failure);
      }
    }
  }
}
