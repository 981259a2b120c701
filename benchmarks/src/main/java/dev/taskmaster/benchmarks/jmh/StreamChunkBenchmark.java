package dev.taskmaster.benchmarks.jmh;

import dev.taskmaster.agent.http.ApiFlavour;
import dev.taskmaster.agent.http.ResponseParser;
import dev.taskmaster.agent.http.ResponseRecorder;
import dev.taskmaster.agent.http.ResponseSummary;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The stream path per chunk: {@link ResponseRecorder#onBytes} on 224-byte server-sent events (the
 * calling or reading thread), and {@link ResponseParser#parse} of the recorded stream (the agent's
 * background thread), both per chunk of a {@value #CHUNKS}-chunk stream.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StreamChunkBenchmark {

  static final int CHUNKS = 64;
  static final int CHUNK_BYTES = 224;

  private byte[][] chunks;
  private ResponseRecorder recorded;

  @Setup
  public void prepare() {
    chunks = new byte[CHUNKS + 2][];
    for (int i = 0; i < CHUNKS; i++) {
      chunks[i] = event(i);
    }
    chunks[CHUNKS] =
        ("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":22,"
                + "\"completion_tokens\":192,\"total_tokens\":214}}\n\n")
            .getBytes(StandardCharsets.UTF_8);
    chunks[CHUNKS + 1] = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
    recorded = record();
  }

  /** One {@code chat.completion.chunk} event of exactly {@value #CHUNK_BYTES} bytes. */
  static byte[] event(int index) {
    String head =
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"";
    String tail = "\"},\"finish_reason\":null}],\"usage\":null}\n\n";
    StringBuilder words = new StringBuilder(" step " + index);
    while (head.length() + words.length() + tail.length() < CHUNK_BYTES) {
      words.append('x');
    }
    byte[] bytes = (head + words + tail).getBytes(StandardCharsets.UTF_8);
    if (bytes.length != CHUNK_BYTES) {
      throw new IllegalStateException("chunk of " + bytes.length + " bytes");
    }
    return bytes;
  }

  private ResponseRecorder record() {
    ResponseRecorder recorder =
        new ResponseRecorder(ResponseRecorder.DEFAULT_MAX_BYTES, System.nanoTime());
    for (byte[] chunk : chunks) {
      recorder.onBytes(chunk, 0, chunk.length);
    }
    recorder.complete();
    return recorder;
  }

  /** A whole stream recorded, its recorder included, per chunk. */
  @Benchmark
  @OperationsPerInvocation(CHUNKS + 2)
  public ResponseRecorder recordPerChunk() {
    return record();
  }

  /** A whole recorded stream parsed, per chunk. */
  @Benchmark
  @OperationsPerInvocation(CHUNKS + 2)
  public ResponseSummary parsePerChunk() {
    return ResponseParser.parse(recorded, ApiFlavour.OPENAI_CHAT, true, "text/event-stream");
  }
}
