package dev.taskmaster.benchmarks.overhead;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The sample app's model server in a JVM of its own, with {@code -Dsun.net.httpserver.nodelay=true}
 * (without it, small answers come about 40 ms late on loopback).
 */
final class ModelServerProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final HttpClient control = HttpClient.newHttpClient();

  private ModelServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static ModelServerProcess start(Layout layout) throws IOException, InterruptedException {
    Path portFile = layout.work.resolve("model-server.port");
    Files.deleteIfExists(portFile);
    Process process =
        new ProcessBuilder(
                List.of(
                    layout.java.toString(),
                    "-Dsun.net.httpserver.nodelay=true",
                    "-cp",
                    layout.sampleAppJar.toString(),
                    "dev.taskmaster.sample.server.ModelServer",
                    "--port",
                    "0",
                    "--port-file",
                    portFile.toString()))
            .redirectOutput(layout.work.resolve("model-server.out").toFile())
            .redirectError(layout.work.resolve("model-server.err").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.isRegularFile(portFile)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IOException("the model server did not start; see model-server.err");
      }
      Thread.sleep(50);
    }
    int port = Integer.parseInt(Files.readString(portFile).trim());
    return new ModelServerProcess(process, port);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Applies settings through {@code POST /control}, e.g. {@code {"verbosity": 4}}. */
  void control(String json) throws IOException, InterruptedException {
    HttpResponse<String> response =
        control.send(
            HttpRequest.newBuilder(URI.create(baseUrl() + "/control"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("POST /control " + json + ": " + response.body());
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
