package dev.taskmaster.agent.httpcall;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Finds the call that a client-library object (a call, a connection, an entity) belongs to, from
 * the instrumented methods that only see that object. Keys are held weakly, so an object the
 * application drops without ending its call (a response body never closed) does not stay; at most
 * {@code capacity} objects are followed at once, and a call beyond that is not followed.
 *
 * <p>Keys are the client libraries' own objects, compared with their {@code equals}: only classes
 * that keep {@code Object}'s identity equality are used as keys.
 *
 * <p>{@link #get} is called on every read of every response body of an instrumented client, model
 * call or not, so when nothing is followed it returns without taking the lock. The lock is a {@link
 * ReentrantLock}, not a monitor: a virtual thread that waits for it unmounts instead of pinning its
 * carrier (JDK 21 to 23 pin a virtual thread that waits to enter a monitor).
 */
public final class CallRegistry<V> {

  private final int capacity;
  private final Map<Object, V> entries = new WeakHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private volatile int size;

  public CallRegistry(int capacity) {
    this.capacity = capacity;
  }

  /** Follows {@code key}; returns false when the registry is full. */
  public boolean put(Object key, V value) {
    lock.lock();
    try {
      if (entries.size() >= capacity && !entries.containsKey(key)) {
        return false;
      }
      entries.put(key, value);
      size = entries.size();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The value of {@code key}, or {@code null}. */
  public V get(Object key) {
    if (size == 0 || key == null) {
      return null;
    }
    lock.lock();
    try {
      return entries.get(key);
    } finally {
      lock.unlock();
    }
  }

  /** Stops following {@code key}; returns its value, or {@code null}. */
  public V remove(Object key) {
    if (size == 0 || key == null) {
      return null;
    }
    lock.lock();
    try {
      V removed = entries.remove(key);
      size = entries.size();
      return removed;
    } finally {
      lock.unlock();
    }
  }

  /** How many objects are followed (keys already collected may still count). */
  public int size() {
    return size;
  }
}
