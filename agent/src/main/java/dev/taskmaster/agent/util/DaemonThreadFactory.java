package dev.taskmaster.agent.util;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names the agent's threads and makes them daemons, so that they never keep a JVM alive. */
public final class DaemonThreadFactory implements ThreadFactory {

  private final String prefix;
  private final AtomicInteger count = new AtomicInteger();

  public DaemonThreadFactory(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
    thread.setDaemon(true);
    // Not the creator's context class loader: an agent thread must not keep an application's
    // class loader alive.
    thread.setContextClassLoader(DaemonThreadFactory.class.getClassLoader());
    return thread;
  }
}
