package dev.taskmaster.agent.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResponseRecorderTest {

  private static final long START = 1_000_000L;

  @Test
  void capturesBytesAcrossPagesWhateverTheChunkSizes() {
    byte[] body = pattern(5 * ResponseRecorder.PAGE_SIZE + 123);
    for (int chunk : new int[] {1, 7, ResponseRecorder.PAGE_SIZE - 1, 3000, body.length}) {
      ResponseRecorder recorder = new ResponseRecorder(1 << 20, START);
      for (int off = 0; off < body.length; off += chunk) {
        recorder.onBytes(body, off, Math.min(chunk, body.length - off));
      }
      assertArrayEquals(body, captured(recorder), "chunk " + chunk);
      assertEquals(body.length, recorder.totalBytes());
      assertFalse(recorder.overflowed());
    }
  }

  @Test
  void marksTheLastLineEndOfEachChunkWithItsTime() {
    ResponseRecorder recorder = new ResponseRecorder(1024, START);
    feed(recorder, "data: {\"a\"", START + 10);
    feed(recorder, ":1}\n\ndata: {", START + 20);
    feed(recorder, "\"b\":2}", START + 30);
    feed(recorder, "\r\n\r\n", START + 40);
    long snapshot = recorder.snapshot();
    assertEquals(2, ResponseRecorder.markCount(snapshot));
    assertEquals(15, recorder.markOffset(0));
    assertEquals(START + 20, recorder.markNanos(0));
    assertEquals(32, recorder.markOffset(1));
    assertEquals(START + 40, recorder.markNanos(1));
    assertEquals(10, recorder.timeToFirstByteNanos());
  }

  @Test
  void aLoneCarriageReturnEndsALineToo() {
    ResponseRecorder recorder = new ResponseRecorder(1024, START);
    recorder.onBytes(bytes("data: x\r"), 0, 8, START + 5);
    assertEquals(1, ResponseRecorder.markCount(recorder.snapshot()));
    assertEquals(8, recorder.markOffset(0));
  }

  @Test
  void theMarkIsFoundInAnEarlierPageOfTheSameChunk() {
    ResponseRecorder recorder = new ResponseRecorder(1 << 20, START);
    byte[] chunk = new byte[3 * ResponseRecorder.PAGE_SIZE];
    Arrays.fill(chunk, (byte) 'x');
    chunk[10] = '\n';
    recorder.onBytes(bytes("abc"), 0, 3, START + 1);
    recorder.onBytes(chunk, 0, chunk.length, START + 2);
    assertEquals(1, ResponseRecorder.markCount(recorder.snapshot()));
    assertEquals(14, recorder.markOffset(0));
  }

  @Test
  void overflowStopsCapturingButKeepsCounting() {
    ResponseRecorder recorder = new ResponseRecorder(10, START);
    recorder.onBytes(bytes("0123456\n"), 0, 8, START + 1);
    recorder.onBytes(bytes("89\nabcdef\n"), 0, 10, START + 2);
    recorder.onBytes(bytes("more\n"), 0, 5, START + 3);
    assertTrue(recorder.complete());
    assertArrayEquals(bytes("0123456\n89"), captured(recorder));
    assertEquals(23, recorder.totalBytes());
    assertTrue(recorder.overflowed());
    assertEquals(1, ResponseRecorder.markCount(recorder.snapshot()));
  }

  @Test
  void aCapOfZeroKeepsNothingButTimesAndCounts() {
    ResponseRecorder recorder = new ResponseRecorder(0, START);
    recorder.onBytes(bytes("abc\n"), 0, 4, START + 7);
    recorder.onByte('x');
    recorder.onBytes(ByteBuffer.allocateDirect(4));
    assertEquals(0, ResponseRecorder.capturedBytes(recorder.snapshot()));
    assertEquals(9, recorder.totalBytes());
    assertEquals(7, recorder.timeToFirstByteNanos());
    assertTrue(recorder.overflowed());
  }

  @Test
  void singleBytesAreRecordedAndEndOfStreamIgnored() {
    ResponseRecorder recorder = new ResponseRecorder(1 << 20, START);
    for (byte b : bytes("ab\ncd")) {
      recorder.onByte(b & 0xff);
    }
    recorder.onByte(-1);
    assertArrayEquals(bytes("ab\ncd"), captured(recorder));
    assertEquals(1, ResponseRecorder.markCount(recorder.snapshot()));
    assertEquals(3, recorder.markOffset(0));
  }

  @Test
  void byteBuffersAreReadWithoutMovingThem() {
    byte[] body = pattern(3000);
    ByteBuffer heap = ByteBuffer.wrap(new byte[body.length + 20], 10, body.length).slice();
    heap.put(body).flip();
    heap.position(100);
    heap.mark();
    ByteBuffer direct = ByteBuffer.allocateDirect(body.length);
    direct.put(body).flip();
    direct.position(100);
    ByteBuffer readOnly = ByteBuffer.wrap(body).asReadOnlyBuffer();
    readOnly.position(100).limit(2000);
    for (ByteBuffer buffer : new ByteBuffer[] {heap, direct, readOnly}) {
      int position = buffer.position();
      int limit = buffer.limit();
      ResponseRecorder recorder = new ResponseRecorder(1 << 20, START);
      recorder.onBytes(buffer);
      assertEquals(position, buffer.position());
      assertEquals(limit, buffer.limit());
      assertArrayEquals(Arrays.copyOfRange(body, position, limit), captured(recorder));
    }
    heap.reset();
    assertEquals(100, heap.position(), "the buffer's mark is kept");
  }

  @Test
  void byteBuffersRespectTheCap() {
    ByteBuffer direct = ByteBuffer.allocateDirect(100);
    direct.put(pattern(100)).flip();
    ResponseRecorder recorder = new ResponseRecorder(30, START);
    recorder.onBytes(direct);
    recorder.onBytes(direct);
    assertArrayEquals(Arrays.copyOf(pattern(100), 30), captured(recorder));
    assertEquals(200, recorder.totalBytes());
    assertTrue(recorder.overflowed());
  }

  @Test
  void badArgumentsAreIgnored() {
    ResponseRecorder recorder = new ResponseRecorder(100, START);
    recorder.onBytes(null, 0, 5);
    recorder.onBytes(new byte[4], -1, 2);
    recorder.onBytes(new byte[4], 3, 2);
    recorder.onBytes(new byte[4], 0, -1);
    recorder.onBytes(new byte[4], Integer.MAX_VALUE, 2);
    recorder.onBytes((ByteBuffer) null);
    recorder.onBytes(ByteBuffer.allocate(0));
    assertEquals(0, recorder.totalBytes());
    assertEquals(-1, recorder.timeToFirstByteNanos());
    assertNull(recorder.failure());
  }

  @Test
  void theEndComesOnceAndFreezesTheCapture() {
    ResponseRecorder recorder = new ResponseRecorder(100, START);
    assertEquals(ResponseRecorder.Outcome.OPEN, recorder.outcome());
    assertEquals(-1, recorder.durationNanos());
    recorder.onBytes(bytes("abc"), 0, 3, START + 1);
    assertTrue(recorder.end(ResponseRecorder.Outcome.COMPLETED, START + 50, null));
    assertFalse(recorder.cancel());
    assertFalse(recorder.fail(new IllegalStateException()));
    assertFalse(recorder.complete());
    recorder.onBytes(bytes("def"), 0, 3, START + 60);
    recorder.onByte('g');
    assertEquals(ResponseRecorder.Outcome.COMPLETED, recorder.outcome());
    assertEquals(50, recorder.durationNanos());
    assertEquals(3, recorder.totalBytes());
    assertArrayEquals(bytes("abc"), captured(recorder));
    assertNull(recorder.failure());
  }

  @Test
  void aFailureKeepsOnlyTheExceptionClass() {
    ResponseRecorder recorder = new ResponseRecorder(100, START);
    assertTrue(recorder.fail(new SocketTimeoutException("https://h/v1?key=SECRET timed out")));
    assertEquals(ResponseRecorder.Outcome.FAILED, recorder.outcome());
    assertEquals("java.net.SocketTimeoutException", recorder.failure());
    assertTrue(recorder.isEnded());
    assertTrue(recorder.durationNanos() >= 0);
  }

  @Test
  void racingEndsHaveExactlyOneWinner() throws Exception {
    int threads = 4;
    for (int round = 0; round < 500; round++) {
      ResponseRecorder recorder = new ResponseRecorder(100, START);
      CountDownLatch go = new CountDownLatch(1);
      AtomicInteger winners = new AtomicInteger();
      Thread[] enders = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        int kind = t % 3;
        enders[t] =
            new Thread(
                () -> {
                  awaitQuietly(go);
                  boolean won =
                      kind == 0
                          ? recorder.complete()
                          : kind == 1 ? recorder.cancel() : recorder.fail(new RuntimeException());
                  if (won) {
                    winners.incrementAndGet();
                  }
                });
        enders[t].start();
      }
      go.countDown();
      for (Thread ender : enders) {
        ender.join();
      }
      assertEquals(1, winners.get(), "round " + round);
      assertTrue(recorder.isEnded());
    }
  }

  @Test
  void aCancelWhileBytesArriveFreezesAConsistentPrefix() throws Exception {
    byte[] body = pattern(64 * 1024);
    for (int round = 0; round < 50; round++) {
      ResponseRecorder recorder = new ResponseRecorder(1 << 20, START);
      CountDownLatch started = new CountDownLatch(1);
      Thread reader =
          new Thread(
              () -> {
                for (int off = 0; off < body.length; off += 100) {
                  recorder.onBytes(body, off, Math.min(100, body.length - off));
                  started.countDown();
                }
              });
      reader.start();
      started.await();
      assertTrue(recorder.cancel());
      long snapshot = recorder.snapshot();
      byte[] captured = recorder.copyBytes(ResponseRecorder.capturedBytes(snapshot));
      assertArrayEquals(Arrays.copyOf(body, captured.length), captured);
      int marks = ResponseRecorder.markCount(snapshot);
      for (int i = 0; i < marks; i++) {
        assertTrue(recorder.markOffset(i) <= captured.length);
      }
      reader.join();
      assertEquals(ResponseRecorder.Outcome.CANCELLED, recorder.outcome());
      assertEquals(snapshot, recorder.snapshot(), "the capture stays frozen");
    }
  }

  @Test
  void manyLinesAreMarkedUpToALimit() {
    ResponseRecorder recorder = new ResponseRecorder(1 << 20, START);
    byte[] line = bytes("\n");
    for (int i = 0; i < 20_000; i++) {
      recorder.onBytes(line, 0, 1, START + i);
    }
    int marks = ResponseRecorder.markCount(recorder.snapshot());
    assertEquals((1 << 20) / 64, marks);
    assertEquals(marks, recorder.markOffset(marks - 1));
    assertEquals(START + marks - 1, recorder.markNanos(marks - 1));
    assertEquals(20_000, ResponseRecorder.capturedBytes(recorder.snapshot()));
  }

  @Test
  void aCompletedRecordingGivesItsPagesBackAndThenReadsEmpty() {
    ResponseRecorder recorder = new ResponseRecorder(1 << 20, START);
    byte[] body = pattern(3 * ResponseRecorder.PAGE_SIZE);
    body[100] = '\n';
    recorder.onBytes(body, 0, body.length, START + 7);
    assertTrue(recorder.complete());
    int pooled = PagePool.BYTES.size();
    int pooledMarks = PagePool.MARK_TIMES.size();

    assertTrue(recorder.release());

    assertEquals(Math.min(256, pooled + 3), PagePool.BYTES.size());
    assertEquals(Math.min(64, pooledMarks + 1), PagePool.MARK_TIMES.size());
    assertEquals(0, captured(recorder).length);
    assertEquals(0, ResponseRecorder.markCount(recorder.snapshot()));
    assertEquals(body.length, recorder.totalBytes());
    assertEquals(7, recorder.timeToFirstByteNanos());
    assertEquals(ResponseRecorder.Outcome.COMPLETED, recorder.outcome());
    assertFalse(recorder.release());
  }

  @Test
  void aReusedPageShowsOnlyTheNewBytesAndMarks() {
    ResponseRecorder first = new ResponseRecorder(1 << 20, START);
    byte[] old = new byte[2 * ResponseRecorder.PAGE_SIZE];
    Arrays.fill(old, (byte) '\n');
    for (int i = 0; i < 70; i++) {
      first.onBytes(old, i, 1, START + i);
    }
    first.complete();
    first.release();

    ResponseRecorder second = new ResponseRecorder(1 << 20, START);
    feed(second, "data: {}", START + 50);
    feed(second, "\n\n", START + 60);
    second.complete();

    assertArrayEquals(bytes("data: {}\n\n"), captured(second));
    assertEquals(1, ResponseRecorder.markCount(second.snapshot()));
    assertEquals(10, second.markOffset(0));
    assertEquals(START + 60, second.markNanos(0));
  }

  @Test
  void onlyACompletedRecordingGivesItsPagesBack() {
    byte[] body = pattern(2 * ResponseRecorder.PAGE_SIZE);
    ResponseRecorder open = new ResponseRecorder(1 << 20, START);
    open.onBytes(body, 0, body.length);
    assertFalse(open.release());
    ResponseRecorder cancelled = new ResponseRecorder(1 << 20, START);
    cancelled.onBytes(body, 0, body.length);
    cancelled.cancel();
    ResponseRecorder failed = new ResponseRecorder(1 << 20, START);
    failed.onBytes(body, 0, body.length);
    failed.fail(new SocketTimeoutException());

    assertFalse(cancelled.release());
    assertFalse(failed.release());

    assertArrayEquals(body, captured(open));
    assertArrayEquals(body, captured(cancelled));
    assertArrayEquals(body, captured(failed));
  }

  private static void feed(ResponseRecorder recorder, String chunk, long now) {
    byte[] bytes = bytes(chunk);
    recorder.onBytes(bytes, 0, bytes.length, now);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static byte[] captured(ResponseRecorder recorder) {
    return recorder.copyBytes(ResponseRecorder.capturedBytes(recorder.snapshot()));
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + i / 7);
    }
    return bytes;
  }
}
