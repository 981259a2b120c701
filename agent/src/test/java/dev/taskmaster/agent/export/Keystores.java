package dev.taskmaster.agent.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Makes keystores with the JDK's own {@code keytool}, as an operator would. */
final class Keystores {

  private Keystores() {}

  /** A keystore of {@code type} holding a self-signed key pair for localhost and 127.0.0.1. */
  static Path withKey(Path directory, String name, String type, String password)
      throws IOException, InterruptedException {
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

  /** Exports the certificate of {@code store} into a new keystore that holds only it. */
  static Path certificateOnly(Path directory, Path store, String password)
      throws IOException, InterruptedException {
    Path certificate = directory.resolve("taskmaster.crt");
    keytool(
        "-exportcert",
        "-alias",
        "taskmaster",
        "-keystore",
        store.toString(),
        "-storepass",
        password,
        "-file",
        certificate.toString());
    Path trust = directory.resolve("trust.p12");
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "taskmaster",
        "-file",
        certificate.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        trust.toString(),
        "-storepass",
        password);
    return trust;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool failed: " + command + "\n" + output);
    }
  }
}
