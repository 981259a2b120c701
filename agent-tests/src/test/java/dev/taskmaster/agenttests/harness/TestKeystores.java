package dev.taskmaster.agenttests.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Keystores made with the JDK's own {@code keytool}, as an operator makes them, and TLS clients
 * that trust their certificate.
 */
public final class TestKeystores {

  private TestKeystores() {}

  /**
   * A keystore of {@code type} ({@code PKCS12} or {@code JKS}) holding a fresh self-signed EC key
   * pair for {@code localhost} and {@code 127.0.0.1}, with {@code password} for store and key.
   */
  public static Path withKey(Path directory, String name, String type, String password) {
    Path store = directory.resolve(name);
    keytool(
        "-genkeypair",
        "-alias",
        "taskmaster",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        type,
        "-keystore",
        store.toString(),
        "-storepass",
        password,
        "-keypass",
        password);
    return store;
  }

  /** A TLS context that trusts the certificates in {@code store}, and nothing else. */
  public static SSLContext trusting(Path store, String type, String password) {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keyStore = KeyStore.getInstance(type);
      keyStore.load(in, password.toCharArray());
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(keyStore);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes the certificate of {@code store}'s only key entry as PEM, as {@code keytool -exportcert
   * -rfc} does, for clients such as Prometheus that take a CA file.
   */
  public static Path certificatePem(Path store, String type, String password, Path pem) {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keyStore = KeyStore.getInstance(type);
      keyStore.load(in, password.toCharArray());
      Certificate certificate = keyStore.getCertificate(keyStore.aliases().nextElement());
      String base64 =
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(certificate.getEncoded());
      Files.writeString(
          pem, "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n");
      return pem;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void keytool(String... args) {
    List<String> command = new ArrayList<>();
    command.add(TestEnvironment.currentJavaHome().resolve("bin/keytool").toString());
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + command + "\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }
}
