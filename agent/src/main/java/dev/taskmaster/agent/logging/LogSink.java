package dev.taskmaster.agent.logging;

/**
 * Where the writer thread puts lines. Only that one thread calls a sink, so implementations need no
 * locking. A sink never throws: it reports a line it could not write by returning {@code false},
 * and warns about the cause itself, once per episode.
 */
interface LogSink {

  /** Writes one line (UTF-8 bytes ending in a line break). */
  boolean write(byte[] line);

  /** Pushes buffered lines out; called after each batch. */
  void flush();

  /** Releases the destination; called once, by the writer thread, when it stops. */
  void close();
}
