package dev.taskmaster.agent.logging;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Keeps written lines; can be made to block, to fail, or to be slow. */
final class RecordingSink implements LogSink {

  final List<String> lines = new CopyOnWriteArrayList<>();
  volatile CountDownLatch gate = new CountDownLatch(0);
  final CountDownLatch entered = new CountDownLatch(1);
  volatile boolean refuse;
  volatile long delayMillis;
  volatile boolean closed;

  @Override
  public boolean write(byte[] line) {
    entered.countDown();
    try {
      gate.await(30, TimeUnit.SECONDS);
      if (delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
    if (refuse) {
      return false;
    }
    lines.add(new String(line, StandardCharsets.UTF_8));
    return true;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    closed = true;
  }
}
