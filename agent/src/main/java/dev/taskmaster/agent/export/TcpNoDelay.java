package dev.taskmaster.agent.export;

import com.sun.net.httpserver.HttpServer;
import dev.taskmaster.agent.util.AgentLog;
import java.lang.reflect.Field;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * Turns Nagle's algorithm off on the sockets of the exporter's own connections, and on no other.
 *
 * <p>The JDK's HTTP server writes a response's headers and its body separately. With Nagle's
 * algorithm on, a body smaller than one segment (about 64 KB over loopback, such as a gzipped
 * {@code /metrics}) waits until the client acknowledges the headers, and a Linux client delays that
 * acknowledgement by 40 ms. The JDK turns the option on only through the JVM-wide {@code
 * sun.net.httpserver.nodelay}, which would change the application's own servers too; the agent sets
 * {@link StandardSocketOptions#TCP_NODELAY} itself, on the socket of each exchange its own server
 * hands to its executor, before the request is read.
 *
 * <p>The socket is reached through the JDK's internal {@code
 * sun.net.httpserver.ServerImpl$Exchange} (field {@code chan}, the same in JDK 17 and 25), which
 * the agent can read only once {@value #PACKAGE} is opened to it. Opened elsewhere (the agent does
 * it through its {@code Instrumentation}); when it is not, or the field is missing, nothing is set,
 * and that is said once at DEBUG: the exporter works, a gzip scrape over loopback only takes 40 ms
 * longer.
 */
final class TcpNoDelay {

  /** The package of the JDK's HTTP server that must be open to the agent. */
  static final String PACKAGE = "sun.net.httpserver";

  /** The runnable that the JDK's server gives its executor for each exchange. */
  static final String EXCHANGE_CLASS = PACKAGE + ".ServerImpl$Exchange";

  /** Its field that holds the connection's socket. */
  static final String CHANNEL_FIELD = "chan";

  private static final TcpNoDelay OFF = new TcpNoDelay(null, null);

  private final Class<?> exchangeClass;
  private final Field channel;
  private volatile boolean saidSet;

  private TcpNoDelay(Class<?> exchangeClass, Field channel) {
    this.exchangeClass = exchangeClass;
    this.channel = channel;
  }

  /**
   * For the JDK's HTTP server: active when {@value #PACKAGE} is open to this class; otherwise a
   * no-op, said once at DEBUG.
   */
  static TcpNoDelay forJdkServer() {
    return resolve(EXCHANGE_CLASS, CHANNEL_FIELD);
  }

  /** For the named class and field; a no-op when either is missing or cannot be read. */
  static TcpNoDelay resolve(String className, String fieldName) {
    String problem;
    try {
      Class<?> type = Class.forName(className, false, HttpServer.class.getClassLoader());
      Field field = type.getDeclaredField(fieldName);
      if (field.getType() != SocketChannel.class) {
        problem = className + "." + fieldName + " is a " + field.getType().getName();
      } else if (!field.trySetAccessible()) {
        problem = PACKAGE + " is not open to the agent";
      } else {
        return new TcpNoDelay(type, field);
      }
    } catch (ClassNotFoundException | NoSuchFieldException | LinkageError missing) {
      problem = "this JDK has no " + className + "." + fieldName + " (" + missing + ")";
    } catch (RuntimeException refused) {
      problem = "cannot read " + className + "." + fieldName + " (" + refused + ")";
    }
    AgentLog.debug(
        "exporter connections keep Nagle's algorithm: "
            + problem
            + "; a gzip scrape over loopback may wait 40 ms for a delayed acknowledgement.");
    return OFF;
  }

  /** Whether {@link #apply} sets anything. */
  boolean active() {
    return channel != null;
  }

  /**
   * Sets {@code TCP_NODELAY} on the socket of {@code task} when it is an exchange of the JDK's
   * server. Every exchange, not once per connection: one system call, where telling connections
   * apart would need a map of them. Never throws.
   */
  void apply(Runnable task) {
    if (channel == null || task == null || task.getClass() != exchangeClass) {
      return;
    }
    try {
      SocketChannel socket = (SocketChannel) channel.get(task);
      if (socket != null) {
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (!saidSet) {
          saidSet = true;
          AgentLog.debug("exporter connections: TCP_NODELAY on");
        }
      }
    } catch (Throwable ignored) {
      // A connection the client already closed, or an option the socket refuses: the exchange
      // runs as it would have, and fails by itself if its socket is gone.
    }
  }
}
