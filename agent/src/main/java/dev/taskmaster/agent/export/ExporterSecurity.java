package dev.taskmaster.agent.export;

import com.sun.net.httpserver.HttpsConfigurator;
import dev.taskmaster.agent.config.AgentConfig;
import dev.taskmaster.agent.config.ConfigKeys;
import dev.taskmaster.agent.config.Setting;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Basic authentication and TLS of the metrics port, read from the {@code exporter.auth.*} and
 * {@code exporter.tls.*} settings and handed to the Prometheus exporter's own {@code authenticator}
 * and {@code httpsConfigurator}.
 *
 * <p>Settings that ask for protection but cannot give it (a user without a password, a password
 * without a user, both a password and a password file, an unreadable file, a keystore that does not
 * open with its password or holds no key) make {@link #load} throw {@link Refused}: the caller then
 * serves nothing rather than serving without the protection that was asked for. Secrets are never
 * part of a message.
 */
public final class ExporterSecurity {

  /** No authentication, plain HTTP. */
  static final ExporterSecurity NONE = new ExporterSecurity(null, null);

  /** Settings that ask for protection the agent cannot give; the message is the one log line. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private final BasicAuthGate auth;
  private final SSLContext tls;

  ExporterSecurity(BasicAuthGate auth, SSLContext tls) {
    this.auth = auth;
    this.tls = tls;
  }

  /**
   * Reads the settings, the password files and the keystore.
   *
   * @return the protection to apply; {@link #NONE} when none is configured
   * @throws Refused when protection is asked for but cannot be given
   */
  public static ExporterSecurity load(AgentConfig config) throws Refused {
    return new ExporterSecurity(auth(config), tls(config));
  }

  /** Whether the port requires basic authentication. */
  public boolean authenticated() {
    return auth != null;
  }

  /** Whether the port serves HTTPS. */
  public boolean tls() {
    return tls != null;
  }

  /** {@code https} or {@code http}. */
  public String scheme() {
    return tls != null ? "https" : "http";
  }

  /** The paths answered without credentials while authentication is on; empty when it is off. */
  public Set<String> openPaths() {
    return auth == null ? Set.of() : auth.openPaths();
  }

  /** Sets the authenticator and the HTTPS configuration, as far as they are on. */
  void applyTo(HTTPServer.Builder builder) {
    if (auth != null) {
      builder.authenticator(auth);
    }
    if (tls != null) {
      builder.httpsConfigurator(new HttpsConfigurator(tls));
    }
  }

  /** Says what protects the port, for the start-up line; empty when nothing does. */
  String describe() {
    if (auth == null) {
      return "";
    }
    return " (basic authentication required"
        + (auth.openPaths().isEmpty() ? "" : "; open: " + String.join(", ", auth.openPaths()))
        + ")";
  }

  private static BasicAuthGate auth(AgentConfig config) throws Refused {
    Setting<String> userKey = ConfigKeys.EXPORTER_AUTH_USER;
    Setting<String> passwordKey = ConfigKeys.EXPORTER_AUTH_PASSWORD;
    Setting<Path> fileKey = ConfigKeys.EXPORTER_AUTH_PASSWORD_FILE;
    if (!isSet(config, userKey) && !isSet(config, passwordKey) && !isSet(config, fileKey)) {
      return null;
    }
    String user = config.get(userKey);
    if (user == null) {
      throw new Refused(
          (isSet(config, userKey) ? userKey + " is empty" : userKey + " is not set")
              + ", but "
              + (isSet(config, passwordKey) ? passwordKey : fileKey)
              + " is: basic authentication needs both. "
              + closed(
                  "a user name in "
                      + userKey
                      + " with exactly one of "
                      + passwordKey
                      + " and "
                      + fileKey));
    }
    if (user.indexOf(':') >= 0) {
      throw new Refused(
          userKey
              + "=\""
              + user
              + "\" contains ':', which basic authentication cannot carry in a user name. "
              + closed("a user name without ':'"));
    }
    byte[] password =
        secret(config, passwordKey, fileKey, "basic authentication of " + userKey + "=" + user)
            .getBytes(StandardCharsets.UTF_8);
    Set<String> open = new LinkedHashSet<>();
    if (config.get(ConfigKeys.EXPORTER_AUTH_HEALTH_OPEN)) {
      open.add("/health");
      open.add("/-/healthy");
    }
    if (config.get(ConfigKeys.FEEDBACK_ENABLED) && config.get(ConfigKeys.FEEDBACK_TOKEN) != null) {
      // POST /feedback carries its own token in the same Authorization header.
      open.add("/feedback");
    }
    return new BasicAuthGate(user, password, open);
  }

  private static SSLContext tls(AgentConfig config) throws Refused {
    Setting<Path> storeKey = ConfigKeys.EXPORTER_TLS_KEYSTORE;
    Setting<String> passwordKey = ConfigKeys.EXPORTER_TLS_KEYSTORE_PASSWORD;
    Setting<Path> fileKey = ConfigKeys.EXPORTER_TLS_KEYSTORE_PASSWORD_FILE;
    Setting<String> typeKey = ConfigKeys.EXPORTER_TLS_KEYSTORE_TYPE;
    if (!isSet(config, storeKey)
        && !isSet(config, passwordKey)
        && !isSet(config, fileKey)
        && !isSet(config, typeKey)) {
      return null;
    }
    Path store = config.get(storeKey);
    if (store == null) {
      throw new Refused(
          storeKey
              + (isSet(config, storeKey) ? " is empty" : " is not set")
              + ", but other "
              + "exporter.tls.* settings are. "
              + closed("a keystore file in " + storeKey + " with its password"));
    }
    char[] password = secret(config, passwordKey, fileKey, storeKey + "=" + store).toCharArray();
    String type = config.get(typeKey).toUpperCase(Locale.ROOT);
    String described =
        storeKey + "=" + store + " (" + typeKey + "=" + type.toLowerCase(Locale.ROOT);
    try {
      KeyStore keyStore = KeyStore.getInstance(type);
      try (InputStream in = Files.newInputStream(store)) {
        keyStore.load(in, password);
      }
      if (!holdsKey(keyStore)) {
        throw new Refused(
            described
                + ") holds no private key, only certificates. "
                + closed("a keystore with the port's private key and its certificate chain"));
      }
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(keyStore, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (NoSuchFileException missing) {
      throw new Refused(described + ") does not exist. " + closed("a readable keystore file"));
    } catch (AccessDeniedException denied) {
      throw new Refused(
          described
              + ") cannot be read (permission denied). "
              + closed("a readable keystore file"));
    } catch (UnrecoverableKeyException wrongKeyPassword) {
      throw new Refused(
          described
              + "): its private key does not open with the keystore's password. "
              + closed("a keystore whose key has the same password as the keystore"));
    } catch (IOException | GeneralSecurityException | RuntimeException unreadable) {
      throw new Refused(
          described
              + ") does not open: wrong password, or not a "
              + type
              + " keystore ("
              + unreadable.getClass().getSimpleName()
              + "). "
              + closed("a PKCS12 or JKS keystore, its type in " + typeKey + ", and its password"));
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private static boolean holdsKey(KeyStore keyStore) throws GeneralSecurityException {
    for (Enumeration<String> aliases = keyStore.aliases(); aliases.hasMoreElements(); ) {
      if (keyStore.isKeyEntry(aliases.nextElement())) {
        return true;
      }
    }
    return false;
  }

  /** The secret given directly or in a file: exactly one of the two. */
  private static String secret(
      AgentConfig config, Setting<String> valueKey, Setting<Path> fileKey, String forWhat)
      throws Refused {
    String value = config.get(valueKey);
    Path file = config.get(fileKey);
    String accepted = "exactly one of " + valueKey + " and " + fileKey;
    if (isSet(config, valueKey) && isSet(config, fileKey)) {
      throw new Refused(
          "Both "
              + valueKey
              + " and "
              + fileKey
              + " are set for "
              + forWhat
              + ". "
              + closed(accepted));
    }
    if (file != null) {
      return readSecret(fileKey, file, accepted);
    }
    if (value == null) {
      throw new Refused(
          (isSet(config, valueKey)
                  ? valueKey + " is empty"
                  : "Neither " + valueKey + " nor " + fileKey + " is set")
              + " for "
              + forWhat
              + ". "
              + closed(accepted));
    }
    return value;
  }

  /** The file's text without the line breaks at its end. */
  static String readSecret(Setting<Path> key, Path file, String accepted) throws Refused {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException missing) {
      throw new Refused(key + "=" + file + " does not exist. " + closed(accepted));
    } catch (AccessDeniedException denied) {
      throw new Refused(
          key + "=" + file + " cannot be read (permission denied). " + closed(accepted));
    } catch (IOException | RuntimeException unreadable) {
      throw new Refused(
          key
              + "="
              + file
              + " cannot be read ("
              + unreadable.getClass().getSimpleName()
              + "). "
              + closed(accepted));
    }
    String text;
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes));
      text = chars.toString();
    } catch (CharacterCodingException notText) {
      throw new Refused(key + "=" + file + " is not UTF-8 text. " + closed(accepted));
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    if (end == 0) {
      throw new Refused(key + "=" + file + " is empty. " + closed(accepted));
    }
    return text.substring(0, end);
  }

  private static boolean isSet(AgentConfig config, Setting<?> setting) {
    return config.sourceOf(setting.name()) != null;
  }

  private static String closed(String accepted) {
    return "The metrics port (/metrics, the status page, /health, /feedback) is not served, rather"
        + " than served without the protection asked for; metrics are still collected. Accepted: "
        + accepted
        + ".";
  }
}
