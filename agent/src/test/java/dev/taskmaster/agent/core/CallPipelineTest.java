package dev.taskmaster.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallPipelineTest {

  @Test
  void awaitEmptyWaitsForTheCallInHandNotOnlyForTheQueue() throws Exception {
    CallPipeline pipeline = new CallPipeline(16, failure -> {});
    CountDownLatch inHand = new CountDownLatch(1);
    List<String> done = new CopyOnWriteArrayList<>();
    pipeline.addListener(
        call -> {
          inHand.countDown();
          try {
            Thread.sleep(300);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          done.add(call.model);
        });
    pipeline.start(() -> {});
    pipeline.submit(ModelCall.builder("chat", "last-model", ModelCall.SUCCESS).build());
    inHand.await(5, TimeUnit.SECONDS);

    // The queue is empty now, but the call is still being processed.
    pipeline.awaitEmpty(5_000);

    assertEquals(List.of("last-model"), done);
  }

  @Test
  void awaitEmptyGivesUpAtItsTimeout() {
    CallPipeline pipeline = new CallPipeline(16, failure -> {});
    // Not started: nothing is ever processed.
    pipeline.submit(ModelCall.builder("chat", "m", ModelCall.SUCCESS).build());
    long start = System.nanoTime();

    pipeline.awaitEmpty(200);

    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(true, millis >= 200 && millis < 2_000, millis + " ms");
  }

  @Test
  void awaitSubmittedReturnsOnceEveryCallSubmittedBeforeReachedTheListeners() throws Exception {
    CallPipeline pipeline = new CallPipeline(16, failure -> {});
    List<String> done = new CopyOnWriteArrayList<>();
    pipeline.addListener(call -> done.add(call.model));
    pipeline.start(() -> {});
    // Idle long enough for the background thread to look at its queue only every 50 ms.
    Thread.sleep(300);
    for (int i = 0; i < 5; i++) {
      pipeline.submit(ModelCall.builder("chat", "model-" + i, ModelCall.SUCCESS).build());
    }

    boolean caughtUp = pipeline.awaitSubmitted(5_000);

    assertEquals(true, caughtUp);
    assertEquals(List.of("model-0", "model-1", "model-2", "model-3", "model-4"), done);
  }

  @Test
  void awaitSubmittedIsImmediateWithNothingPendingAndGivesUpAtItsTimeout() {
    CallPipeline pipeline = new CallPipeline(16, failure -> {});
    assertEquals(true, pipeline.awaitSubmitted(0), "nothing submitted");
    // Not started: nothing is ever processed.
    pipeline.submit(ModelCall.builder("chat", "m", ModelCall.SUCCESS).build());

    assertEquals(false, pipeline.awaitSubmitted(100));
  }

  @Test
  void aCallRefusedByAFullQueueIsNotWaitedFor() {
    CallPipeline pipeline = new CallPipeline(4, failure -> {});
    PendingCall unparsed = () -> ModelCall.builder("chat", "http", ModelCall.SUCCESS).build();
    for (int i = 0; i < 5; i++) {
      pipeline.submit(unparsed);
    }
    assertEquals(1, pipeline.dropped());
    List<String> done = new CopyOnWriteArrayList<>();
    pipeline.addListener(call -> done.add(call.model));
    pipeline.start(() -> {});

    assertEquals(true, pipeline.awaitSubmitted(5_000));
    assertEquals(4, done.size(), "the 4 queued calls; the refused one was described here");
  }

  @Test
  void underOverloadFinishedCallsLeaveTheLastQuarterToCallsWithMetricsStillToRecord() {
    CallPipeline pipeline = new CallPipeline(8, failure -> {});
    for (int i = 0; i < 10; i++) {
      pipeline.submit(ModelCall.builder("chat", "m", ModelCall.SUCCESS).build());
    }
    assertEquals(4, pipeline.dropped(), "6 finished calls fit, 2 slots stay reserved");

    PendingCall unparsed = () -> ModelCall.builder("chat", "http", ModelCall.SUCCESS).build();
    pipeline.submit(unparsed);
    pipeline.submit(unparsed);
    assertEquals(4, pipeline.dropped(), "the reserved slots took the calls still to parse");

    pipeline.submit(unparsed);
    assertEquals(5, pipeline.dropped(), "a full queue drops any call");
  }

  @Test
  void aCallWithMetricsStillToRecordThatFindsTheQueueFullRecordsThemOnTheCallingThread() {
    CallPipeline pipeline = new CallPipeline(4, failure -> {});
    List<String> describedOn = new CopyOnWriteArrayList<>();
    PendingCall unparsed =
        () -> {
          describedOn.add(Thread.currentThread().getName());
          return ModelCall.builder("chat", "http", ModelCall.SUCCESS).build();
        };
    List<String> failures = new CopyOnWriteArrayList<>();
    CallPipeline failing = new CallPipeline(1, failure -> failures.add(failure.getMessage()));
    for (int i = 0; i < 6; i++) {
      pipeline.submit(unparsed);
    }
    failing.submit(unparsed);
    failing.submit(
        () -> {
          throw new IllegalStateException("unreadable body");
        });

    // Not started: 4 wait in the queue, 2 did their work at once, here.
    assertEquals(2, pipeline.dropped());
    String here = Thread.currentThread().getName();
    assertEquals(List.of(here, here), describedOn);
    assertEquals(List.of("unreadable body"), failures);
  }
}
