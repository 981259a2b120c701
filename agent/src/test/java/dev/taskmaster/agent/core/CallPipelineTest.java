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
