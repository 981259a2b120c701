package dev.taskmaster.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TypeMatcherTest {

  interface Client {
    String complete(String prompt);
  }

  interface RetryingClient extends Client {}

  abstract static class BaseClient implements RetryingClient, Serializable {}

  static final class DeepClient extends BaseClient {
    @Override
    public String complete(String prompt) {
      return prompt;
    }
  }

  static final class Unrelated implements Runnable {
    @Override
    public void run() {}
  }

  @Test
  void headerNamesSuperClassAndInterfaces() throws IOException {
    ClassHeader header = ClassHeader.parse(classFile(BaseClient.class));
    assertNull(header.superName, "java/lang/Object is reported as no super class");
    assertEquals(
        List.of(internalName(RetryingClient.class), "java/io/Serializable"),
        Arrays.asList(header.interfaces));
  }

  @Test
  void rejectsBytesThatAreNotAClassFile() {
    assertThrows(IllegalArgumentException.class, () -> ClassHeader.parse(new byte[] {1, 2, 3}));
    assertThrows(
        IllegalArgumentException.class,
        () -> ClassHeader.parse(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE}));
  }

  @Test
  void matchesIndirectImplementationsThroughClassFilesNotYetLoaded() throws IOException {
    TypeMatcher matcher =
        new TypeMatcher(
            List.of(Client.class.getName(), "com.example.Other", Client.class.getName()));
    int[] ids =
        matcher.match(
            internalName(DeepClient.class),
            TypeMatcherTest.class.getClassLoader(),
            classFile(DeepClient.class));
    assertArrayEquals(new int[] {0, 2}, ids);
  }

  @Test
  void unrelatedClassesMatchNothing() throws IOException {
    TypeMatcher matcher = new TypeMatcher(List.of(Client.class.getName()));
    assertArrayEquals(
        TypeMatcher.NONE,
        matcher.match(
            internalName(Unrelated.class),
            TypeMatcherTest.class.getClassLoader(),
            classFile(Unrelated.class)));
  }

  @Test
  void theTargetItselfMatches() throws IOException {
    TypeMatcher matcher = new TypeMatcher(List.of(Client.class.getName()));
    assertArrayEquals(
        new int[] {0},
        matcher.match(
            internalName(Client.class),
            TypeMatcherTest.class.getClassLoader(),
            classFile(Client.class)));
  }

  @Test
  void unionKeepsIdsSortedAndDistinct() {
    assertArrayEquals(new int[] {1, 2, 5}, TypeMatcher.union(new int[] {2, 5}, new int[] {5, 1}));
    assertArrayEquals(new int[] {3}, TypeMatcher.union(TypeMatcher.NONE, new int[] {3}));
  }

  private static String internalName(Class<?> type) {
    return type.getName().replace('.', '/');
  }

  private static byte[] classFile(Class<?> type) throws IOException {
    try (InputStream in =
        type.getClassLoader().getResourceAsStream(internalName(type) + ".class")) {
      return in.readAllBytes();
    }
  }
}
