package dev.taskmaster.agent.util;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's own diagnostic log: one line per call on {@code System.err}, such as {@code
 * [taskmaster] WARN exporter.port="x" ...}.
 *
 * <p>It deliberately uses neither {@code java.util.logging} nor the application's logging
 * framework: the host may have redirected or reconfigured both. Levels are, from quietest, {@code
 * off}, {@code error}, {@code warn}, {@code info} (the default) and {@code debug}. Every method is
 * thread-safe and never throws. Line breaks inside a message are written as {@code \n} so that one
 * call is always one line; only at debug level does a throwable add its stack trace below it.
 */
public final class AgentLog {

  private static final int OFF = 0;
  private static final int ERROR = 1;
  private static final int WARN = 2;
  private static final int INFO = 3;
  private static final int DEBUG = 4;
  private static final String[] NAMES = {"off", "error", "warn", "info", "debug"};

  /** Bounds the memory of {@link #warnOnce}; keys past it are not logged at all. */
  private static final int MAX_ONCE_KEYS = 10_000;

  private static final Set<String> onceKeys = ConcurrentHashMap.newKeySet();
  private static volatile int level = INFO;

  private AgentLog() {}

  /**
   * Sets the level from its name: {@code error}, {@code warn}, {@code info}, {@code debug} or
   * {@code off}, in any case.
   *
   * @return false, leaving the level unchanged, when the name is none of those
   */
  public static boolean setLevel(String name) {
    int parsed = parseLevel(name);
    if (parsed < 0) {
      return false;
    }
    level = parsed;
    return true;
  }

  /** The current level's name in lower case, such as {@code info}. */
  public static String level() {
    return NAMES[level];
  }

  /** Whether {@link #debug} lines are written; lets callers skip building costly messages. */
  public static boolean isDebugEnabled() {
    return level >= DEBUG;
  }

  /** Writes an ERROR line. */
  public static void error(String message) {
    log(ERROR, "ERROR", message, null);
  }

  /** Writes an ERROR line ending with the throwable's class and message. */
  public static void error(String message, Throwable throwable) {
    log(ERROR, "ERROR", message, throwable);
  }

  /** Writes a WARN line. */
  public static void warn(String message) {
    log(WARN, "WARN", message, null);
  }

  /** Writes a WARN line ending with the throwable's class and message. */
  public static void warn(String message, Throwable throwable) {
    log(WARN, "WARN", message, throwable);
  }

  /** Writes an INFO line. */
  public static void info(String message) {
    log(INFO, "INFO", message, null);
  }

  /** Writes an INFO line ending with the throwable's class and message. */
  public static void info(String message, Throwable throwable) {
    log(INFO, "INFO", message, throwable);
  }

  /** Writes a DEBUG line. */
  public static void debug(String message) {
    log(DEBUG, "DEBUG", message, null);
  }

  /** Writes a DEBUG line ending with the throwable's class and message, then its stack trace. */
  public static void debug(String message, Throwable throwable) {
    log(DEBUG, "DEBUG", message, throwable);
  }

  /**
   * Writes a WARN line the first time this JVM sees {@code key} while WARN lines are enabled, and
   * nothing on later calls with the same key. For problems that would otherwise repeat on every
   * intercepted call. After 10,000 distinct keys, further new keys are dropped.
   */
  public static void warnOnce(String key, String message) {
    try {
      if (level < WARN || onceKeys.size() >= MAX_ONCE_KEYS || !onceKeys.add(String.valueOf(key))) {
        return;
      }
      log(WARN, "WARN", message, null);
    } catch (Throwable ignored) {
      // The log must never be the reason the host fails.
    }
  }

  /** Forgets the keys seen by {@link #warnOnce}; for tests. */
  static void resetOnceKeys() {
    onceKeys.clear();
  }

  private static int parseLevel(String name) {
    if (name == null) {
      return -1;
    }
    String lower = name.trim().toLowerCase(Locale.ROOT);
    for (int i = 0; i < NAMES.length; i++) {
      if (NAMES[i].equals(lower)) {
        return i;
      }
    }
    return -1;
  }

  private static void log(int messageLevel, String label, String message, Throwable throwable) {
    try {
      if (level < messageLevel) {
        return;
      }
      StringBuilder line = new StringBuilder(64);
      line.append("[taskmaster] ").append(label).append(' ');
      appendOneLine(line, message);
      if (throwable != null) {
        line.append(": ").append(throwable.getClass().getName());
        String detail = messageOf(throwable);
        if (detail != null) {
          line.append(": ");
          appendOneLine(line, detail);
        }
      }
      PrintStream err = System.err;
      err.println(line);
      if (throwable != null && level >= DEBUG) {
        throwable.printStackTrace(err);
      }
    } catch (Throwable ignored) {
      // The log must never be the reason the host fails.
    }
  }

  private static String messageOf(Throwable throwable) {
    try {
      return throwable.getMessage();
    } catch (Throwable e) {
      // Application exceptions may override getMessage() badly.
      return null;
    }
  }

  private static void appendOneLine(StringBuilder line, String text) {
    if (text == null) {
      line.append("null");
      return;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        line.append("\\n");
      } else if (c == '\r') {
        line.append("\\r");
      } else {
        line.append(c);
      }
    }
  }
}
