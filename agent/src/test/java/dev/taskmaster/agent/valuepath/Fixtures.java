package dev.taskmaster.agent.valuepath;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Shapes of application objects that value paths must read. */
public final class Fixtures {

  private Fixtures() {}

  /** A public interface whose implementations are hidden. */
  public interface Usage {
    int getPromptTokens();

    long completionTokens();
  }

  /** A non-public implementation of a public interface, as an SDK would return. */
  private static final class HiddenUsage implements Usage {
    @Override
    public int getPromptTokens() {
      return 12;
    }

    @Override
    public long completionTokens() {
      return 34L;
    }

    /** Public, but only on the hidden class: reachable through setAccessible only. */
    public String extra() {
      return "extra";
    }
  }

  static Usage hiddenUsage() {
    return new HiddenUsage();
  }

  /** A package-private class with a public method that is on no public type. */
  static final class PackagePrivate {
    public String secret() {
      return "secret";
    }
  }

  /** A private record: its accessors are public methods of a non-public class. */
  private record Message(String role, String content) {}

  static Object message(String role, String content) {
    return new Message(role, content);
  }

  /** A public record. */
  public record Choice(int index, Message2 message) {}

  /** A public record nested in a record. */
  public record Message2(String content) {}

  /** A response shaped like an SDK's, with every kind of member. */
  public static class Response {
    public final String id = "resp-1";
    public String model = "field-model";
    public int[] logprobs = {7, 8, 9};
    public String[] names = {"a", "b"};

    public String getModel() {
      return "getter-model";
    }

    public String model() {
      return "method-model";
    }

    public boolean isStreaming() {
      return true;
    }

    public List<Choice> choices() {
      return List.of(new Choice(0, new Message2("hello")), new Choice(1, new Message2("bye")));
    }

    public Usage usage() {
      return hiddenUsage();
    }

    public Optional<Usage> optionalUsage() {
      return Optional.of(hiddenUsage());
    }

    public Optional<String> emptyText() {
      return Optional.empty();
    }

    public Optional<Optional<String>> nested() {
      return Optional.of(Optional.of("deep"));
    }

    public OptionalInt optionalInt() {
      return OptionalInt.of(5);
    }

    public OptionalLong optionalLong() {
      return OptionalLong.of(6L);
    }

    public OptionalDouble optionalDouble() {
      return OptionalDouble.of(0.5);
    }

    public OptionalInt emptyInt() {
      return OptionalInt.empty();
    }

    public String nothing() {
      return null;
    }

    public String getBroken() {
      throw new IllegalStateException("getter failed");
    }

    public void sideEffect() {}

    public static String staticMethod() {
      return "static";
    }

    public String withArgument(String argument) {
      return argument;
    }

    @Override
    public String toString() {
      return "Response";
    }
  }

  /** Inherits a public method from a non-public superclass through a public subclass. */
  static class Base {
    public String inherited() {
      return "inherited";
    }
  }

  /** A public subclass of a package-private class. */
  public static class Derived extends Base {}

  /** An enum with a constant-specific body, so its runtime class is anonymous. */
  public enum Role {
    USER {
      @Override
      public String toString() {
        return "user!";
      }
    },
    ASSISTANT
  }

  /** An object whose toString throws. */
  public static final class Hostile {
    @Override
    public String toString() {
      throw new IllegalStateException("no toString");
    }
  }
}
