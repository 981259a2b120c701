package dev.taskmaster.agent.valuepath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.valuepath.Fixtures.Response;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ValuePathTest {

  private static Object onReturn(String path, Object returned) {
    return ValuePath.parse(path).resolve(null, new Object[0], returned);
  }

  @Test
  void rootsReadArgumentsReturnValueAndReceiver() {
    Object[] args = {"prompt", 42};
    assertEquals("prompt", ValuePath.parse("arg0").resolve("self", args, "ret"));
    assertEquals(42, ValuePath.parse("arg1").resolve("self", args, "ret"));
    assertEquals("ret", ValuePath.parse("return").resolve("self", args, "ret"));
    assertEquals("self", ValuePath.parse(" this ").resolve("self", args, "ret"));
  }

  @Test
  void missingRootsAreAbsent() {
    assertNull(ValuePath.parse("arg2").resolve("self", new Object[] {"a"}, null));
    assertNull(ValuePath.parse("arg0").resolve("self", null, null));
    assertNull(ValuePath.parse("this.length").resolve(null, null, null));
    assertNull(ValuePath.parse("return.usage()").resolve(null, null, null));
  }

  @Test
  void methodCallStep() {
    Response response = new Response();
    assertEquals("method-model", onReturn("return.model()", response));
    assertEquals(34L, onReturn("return.usage().completionTokens()", response));
    assertEquals("hello", onReturn("return.choices()[0].message().content()", response));
  }

  @Test
  void propertyStepPrefersGetterThenIsThenPlainMethodThenField() {
    Response response = new Response();
    assertEquals("getter-model", onReturn("return.model", response));
    assertEquals(true, onReturn("return.streaming", response));
    assertEquals("hello", onReturn("return.choices[0].message.content", response));
    assertEquals("resp-1", onReturn("return.id", response));
    assertEquals(12, onReturn("return.usage.promptTokens", response));
  }

  @Test
  void callStepDoesNotFallBackToGetters() {
    assertNull(onReturn("return.promptTokens()", Fixtures.hiddenUsage()));
    assertEquals(12, onReturn("return.getPromptTokens()", Fixtures.hiddenUsage()));
  }

  @Test
  void indexStepOnListsCollectionsAndArrays() {
    Response response = new Response();
    assertEquals("bye", onReturn("return.choices()[1].message().content()", response));
    assertEquals(9, onReturn("return.logprobs[2]", response));
    assertEquals("b", onReturn("return.names[1]", response));
    assertEquals(3, onReturn("return.logprobs.length", response));
    assertEquals("z", onReturn("return[2]", new LinkedHashSet<>(List.of("x", "y", "z"))));
    assertEquals('c', onReturn("return[2]", new char[] {'a', 'b', 'c'}));
    assertEquals(2.5, onReturn("return[0]", new double[] {2.5}));
    assertEquals(true, onReturn("return[0]", new boolean[] {true}));
    assertEquals("x", onReturn("return[0][0]", List.of(List.of("x"))));
  }

  @Test
  void indexOutOfRangeOrNotIndexableIsAbsent() {
    Response response = new Response();
    assertNull(onReturn("return.choices()[2]", response));
    assertNull(onReturn("return.logprobs[3]", response));
    assertNull(onReturn("return[0]", new LinkedHashSet<>()));
    assertNull(onReturn("return[0]", "a string"));
    assertNull(onReturn("return[0]", Map.of("0", "value")));
    assertEquals(0L, ValuePath.parse("return[5]").failureCount());
  }

  @Test
  void optionalsAreUnwrappedAtEveryStep() {
    Response response = new Response();
    assertEquals(12, onReturn("return.optionalUsage().promptTokens", response));
    assertEquals(5, onReturn("return.optionalInt()", response));
    assertEquals(6L, onReturn("return.optionalLong", response));
    assertEquals(0.5, onReturn("return.optionalDouble", response));
    assertEquals("deep", onReturn("return.nested", response));
    assertNull(onReturn("return.emptyText", response));
    assertNull(onReturn("return.emptyText.length()", response));
    assertNull(onReturn("return.emptyInt", response));

    assertEquals("x", ValuePath.parse("arg0").resolve(null, new Object[] {Optional.of("x")}, null));
    assertEquals(7L, onReturn("return", OptionalLong.of(7)));
    assertNull(onReturn("return", Optional.empty()));
    assertEquals("hello", onReturn("return[0]", Optional.of(List.of("hello"))));
  }

  @Test
  void nullsAndMissingMembersAreAbsentWithoutFailure() {
    Response response = new Response();
    ValuePath missing = ValuePath.parse("return.noSuchThing.more()");
    assertNull(missing.resolve(null, null, response));
    ValuePath afterNull = ValuePath.parse("return.nothing().length()");
    assertNull(afterNull.resolve(null, null, response));
    ValuePath voidMethod = ValuePath.parse("return.sideEffect()");
    assertNull(voidMethod.resolve(null, null, response));
    ValuePath staticMethod = ValuePath.parse("return.staticMethod()");
    assertNull(staticMethod.resolve(null, null, response));
    ValuePath withArgument = ValuePath.parse("return.withArgument()");
    assertNull(withArgument.resolve(null, null, response));

    assertEquals(0L, missing.failureCount() + afterNull.failureCount());
    assertEquals(0L, voidMethod.failureCount() + staticMethod.failureCount());
    assertEquals(0L, withArgument.failureCount());
  }

  @Test
  void throwingGetterIsAbsentAndCounted() {
    ValuePath broken = ValuePath.parse("return.broken");
    assertNull(broken.resolve(null, null, new Response()));
    assertNull(broken.resolve(null, null, new Response()));

    assertEquals(2L, broken.failureCount());
    assertEquals("getter failed", broken.lastFailure().getMessage());
  }

  @Test
  void nonPublicImplementationOfPublicInterface() {
    Object usage = Fixtures.hiddenUsage();
    assertTrue(!java.lang.reflect.Modifier.isPublic(usage.getClass().getModifiers()));

    assertEquals(12, onReturn("return.promptTokens", usage));
    assertEquals(34L, onReturn("return.completionTokens()", usage));
  }

  @Test
  void jdkInternalImplementationsAreReadThroughTheirPublicInterfaces() {
    // ImmutableCollections.ListN: not public, in a package that java.base does not open.
    assertEquals(3, onReturn("return.size()", List.of(1, 2, 3)));
    assertEquals(false, onReturn("return.empty", Collections.unmodifiableList(List.of(1))));
    // sun.nio.fs.UnixPath: in a package that java.base does not even export.
    Path path = Path.of("/tmp/report.txt");
    assertEquals("report.txt", ValuePath.asString(onReturn("return.fileName", path)));
    assertEquals(2, onReturn("return.nameCount", path));
  }

  @Test
  void publicMethodOnlyOnAHiddenClassNeedsSetAccessible() {
    assertEquals("extra", onReturn("return.extra()", Fixtures.hiddenUsage()));
    assertEquals("secret", onReturn("return.secret()", new Fixtures.PackagePrivate()));
    // A hidden class in a module that is not open cannot be forced: absent, and no warning.
    assertNull(onReturn("return.getByteArrayForSysCalls()", Path.of("/tmp")));
  }

  @Test
  void publicMethodInheritedFromNonPublicSuperclass() {
    assertEquals("inherited", onReturn("return.inherited()", new Fixtures.Derived()));
  }

  @Test
  void recordsAccessors() {
    Object message = Fixtures.message("user", "hi");
    assertEquals("hi", onReturn("return.content", message));
    assertEquals("user", onReturn("return.role()", message));
    Fixtures.Choice choice = new Fixtures.Choice(3, new Fixtures.Message2("text"));
    assertEquals(3, onReturn("return.index", choice));
    assertEquals("text", onReturn("return.message.content", choice));
  }

  @Test
  void handlesAreLookedUpOncePerStepAndClass() {
    ValuePath path = ValuePath.parse("return.usage().promptTokens");
    Response response = new Response();
    path.resolve(null, null, response);
    long afterFirst = ValuePath.lookupCount();

    for (int i = 0; i < 1_000; i++) {
      assertEquals(12, path.resolve(null, null, response));
    }
    assertEquals(afterFirst, ValuePath.lookupCount());

    // A new receiver class for the last step means one more lookup, once.
    ValuePath other = ValuePath.parse("return.promptTokens");
    long before = ValuePath.lookupCount();
    other.resolve(null, null, Fixtures.hiddenUsage());
    other.resolve(null, null, Fixtures.hiddenUsage());
    assertEquals(before + 1, ValuePath.lookupCount());
  }

  @Test
  void concurrentResolutionIsConsistent() throws InterruptedException {
    ValuePath tokens = ValuePath.parse("return.usage().promptTokens");
    ValuePath content = ValuePath.parse("return.choices[1].message.content");
    AtomicInteger wrong = new AtomicInteger();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  Response response = new Response();
                  for (int i = 0; i < 5_000; i++) {
                    if (!Integer.valueOf(12).equals(tokens.resolve(null, null, response))
                        || !"bye".equals(content.resolve(null, null, response))) {
                      wrong.incrementAndGet();
                    }
                  }
                } catch (Throwable e) {
                  thrown.set(e);
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertNull(thrown.get());
    assertEquals(0, wrong.get());
    assertEquals(0L, tokens.failureCount() + content.failureCount());
  }

  @Test
  void expressionIsKeptTrimmed() {
    ValuePath path = ValuePath.parse("  return.usage().promptTokens ");
    assertEquals("return.usage().promptTokens", path.expression());
    assertEquals("return.usage().promptTokens", path.toString());
  }

  @Test
  void asStringConversions() {
    assertNull(ValuePath.asString(null));
    assertEquals("text", ValuePath.asString("text"));
    assertEquals("builder", ValuePath.asString(new StringBuilder("builder")));
    assertEquals("USER", ValuePath.asString(Fixtures.Role.USER));
    assertEquals("ASSISTANT", ValuePath.asString(Fixtures.Role.ASSISTANT));
    assertEquals("42", ValuePath.asString(42));
    assertEquals("Response", ValuePath.asString(new Response()));
    assertNull(ValuePath.asString(new Fixtures.Hostile()));
    assertEquals("x", ValuePath.asString(Optional.of("x")));
  }

  @Test
  void asLongConversions() {
    assertEquals(-1L, ValuePath.asLong(null, -1L));
    assertEquals(12L, ValuePath.asLong(12, -1L));
    assertEquals(12L, ValuePath.asLong(12L, -1L));
    assertEquals(12L, ValuePath.asLong((short) 12, -1L));
    assertEquals(12L, ValuePath.asLong(12.9, -1L));
    assertEquals(12L, ValuePath.asLong(" 12 ", -1L));
    assertEquals(12L, ValuePath.asLong("12.0", -1L));
    assertEquals(12L, ValuePath.asLong(new java.math.BigDecimal("12"), -1L));
    assertEquals(12L, ValuePath.asLong(new java.util.concurrent.atomic.AtomicLong(12), -1L));
    assertEquals(-1L, ValuePath.asLong(Double.NaN, -1L));
    assertEquals(-1L, ValuePath.asLong(1e30, -1L));
    assertEquals(-1L, ValuePath.asLong(new java.math.BigInteger("99999999999999999999"), -1L));
    assertEquals(-1L, ValuePath.asLong("twelve", -1L));
    assertEquals(-1L, ValuePath.asLong("NaN", -1L));
    assertEquals(-1L, ValuePath.asLong("0x10", -1L));
    assertEquals(-1L, ValuePath.asLong("", -1L));
    assertEquals(-1L, ValuePath.asLong(true, -1L));
    assertEquals(-1L, ValuePath.asLong(new Object(), -1L));
  }

  @Test
  void asDoubleConversions() {
    assertEquals(-1.0, ValuePath.asDouble(null, -1.0));
    assertEquals(0.25, ValuePath.asDouble(0.25f, -1.0));
    assertEquals(3.0, ValuePath.asDouble(3, -1.0));
    assertEquals(1500.0, ValuePath.asDouble("1.5e3", -1.0));
    assertEquals(-1.0, ValuePath.asDouble(Double.POSITIVE_INFINITY, -1.0));
    assertEquals(-1.0, ValuePath.asDouble("Infinity", -1.0));
    assertEquals(-1.0, ValuePath.asDouble("1d", -1.0));
    assertEquals(-1.0, ValuePath.asDouble("-", -1.0));
    assertEquals(-1.0, ValuePath.asDouble(Arrays.asList(1), -1.0));
  }

  @Test
  void fieldStepReturnsTheFieldsObject() {
    Response response = new Response();
    ValuePath path = ValuePath.parse("return.names");
    assertSame(response.names, path.resolve(null, null, response));
  }
}
