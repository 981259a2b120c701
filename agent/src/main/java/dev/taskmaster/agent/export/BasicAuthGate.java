package dev.taskmaster.agent.export;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * HTTP basic authentication of the metrics port, given to the Prometheus exporter's {@code
 * HTTPServer} as its authenticator: it guards {@code /metrics}, {@code /-/healthy} and every path
 * of the agent's own handler alike. A few exact paths may be left open (such as {@code /health} for
 * liveness probes).
 *
 * <p>User name and password are compared as SHA-256 digests with {@link MessageDigest#isEqual},
 * both always, so that the time of an answer tells nothing about how much of either was right. A
 * missing, malformed or wrong {@code Authorization} header is answered 401 with a {@code
 * WWW-Authenticate} challenge, and never throws.
 */
final class BasicAuthGate extends Authenticator {

  /** The realm named in the challenge. */
  static final String REALM = "taskmaster";

  private static final String CHALLENGE = "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"";

  private final String user;
  private final byte[] userDigest;
  private final byte[] passwordDigest;
  private final Set<String> openPaths;

  /**
   * @param user the user name
   * @param password the password's UTF-8 bytes
   * @param openPaths request paths (exact, decoded) answered without credentials, in the order they
   *     are listed
   */
  BasicAuthGate(String user, byte[] password, Set<String> openPaths) {
    this.user = user;
    this.userDigest = sha256(user.getBytes(StandardCharsets.UTF_8));
    this.passwordDigest = sha256(password);
    this.openPaths = Collections.unmodifiableSet(new LinkedHashSet<>(openPaths));
  }

  /** The paths answered without credentials. */
  Set<String> openPaths() {
    return openPaths;
  }

  @Override
  public Result authenticate(HttpExchange exchange) {
    String path = exchange.getRequestURI().getPath();
    if (path != null && openPaths.contains(path)) {
      return new Success(new HttpPrincipal("", REALM));
    }
    if (accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
      return new Success(new HttpPrincipal(user, REALM));
    }
    exchange.getResponseHeaders().set("WWW-Authenticate", CHALLENGE);
    return new Retry(401);
  }

  /** Whether an {@code Authorization} header value carries the right user and password. */
  boolean accepts(String header) {
    if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(header.substring(6).trim());
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
    int colon = indexOf(decoded, (byte) ':');
    if (colon < 0) {
      return false;
    }
    boolean userMatches =
        MessageDigest.isEqual(userDigest, sha256(Arrays.copyOfRange(decoded, 0, colon)));
    boolean passwordMatches =
        MessageDigest.isEqual(
            passwordDigest, sha256(Arrays.copyOfRange(decoded, colon + 1, decoded.length)));
    return userMatches & passwordMatches;
  }

  private static int indexOf(byte[] bytes, byte wanted) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException impossible) {
      // Every Java platform must provide SHA-256.
      throw new IllegalStateException(impossible);
    }
  }
}
