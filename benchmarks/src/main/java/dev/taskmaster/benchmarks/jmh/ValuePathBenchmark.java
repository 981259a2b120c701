package dev.taskmaster.benchmarks.jmh;

import dev.taskmaster.agent.valuepath.ValuePath;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Value-path extraction on an object graph shaped like openai-java's (interfaces, Optionals,
 * lists), the paths of {@code sample-app/agent.properties}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ValuePathBenchmark {

  static final Object REQUEST_OPTIONS = new Object();

  private final ValuePath model = ValuePath.parse("arg0.model().asString()");
  private final ValuePath prompt = ValuePath.parse("arg0.messages()[1].user().content().text()");
  private final ValuePath response = ValuePath.parse("return.choices()[0].message().content()");
  private final ValuePath inputTokens = ValuePath.parse("return.usage().promptTokens()");
  private final ValuePath property = ValuePath.parse("return.usage.promptTokens");
  private final Object[] arguments = {Request.of("gpt-4o-mini"), REQUEST_OPTIONS};
  private final Completion returned = Completion.sample();

  @Benchmark
  public Object modelName() {
    return model.resolve(null, arguments, null);
  }

  @Benchmark
  public Object promptText() {
    return prompt.resolve(null, arguments, null);
  }

  @Benchmark
  public Object responseText() {
    return response.resolve(null, arguments, returned);
  }

  @Benchmark
  public Object tokenCount() {
    return inputTokens.resolve(null, arguments, returned);
  }

  /** A property step ({@code .usage} finds {@code usage()}) instead of a method call step. */
  @Benchmark
  public Object tokenCountByProperty() {
    return property.resolve(null, arguments, returned);
  }

  /** The intercepted client of {@link AdviceBenchmark}. */
  public static final class Client {}

  /** Like {@code ChatModel}: a value whose name is {@code asString()}. */
  public interface Model {
    String asString();
  }

  /** Like {@code ChatCompletionCreateParams}. */
  public interface Request {
    Model model();

    List<Message> messages();

    static Request of(String name) {
      Model model = () -> name;
      List<Message> messages =
          List.of(
              new Message(null),
              new Message(new UserMessage(new Content("Create a task for the budget review"))));
      return new Request() {
        @Override
        public Model model() {
          return model;
        }

        @Override
        public List<Message> messages() {
          return messages;
        }
      };
    }
  }

  /** A message that may be a user message. */
  public static final class Message {
    private final UserMessage user;

    Message(UserMessage user) {
      this.user = user;
    }

    public Optional<UserMessage> user() {
      return Optional.ofNullable(user);
    }
  }

  /** A user message. */
  public static final class UserMessage {
    private final Content content;

    UserMessage(Content content) {
      this.content = content;
    }

    public Content content() {
      return content;
    }
  }

  /** Content that may be text. */
  public static final class Content {
    private final String text;

    Content(String text) {
      this.text = text;
    }

    public Optional<String> text() {
      return Optional.of(text);
    }
  }

  /** Like {@code ChatCompletion}. */
  public static final class Completion {
    private final List<Choice> choices;
    private final Usage usage;

    Completion(List<Choice> choices, Usage usage) {
      this.choices = choices;
      this.usage = usage;
    }

    static Completion sample() {
      return new Completion(
          List.of(new Choice(new AnswerMessage("Here is a task plan for the budget review."))),
          new Usage(22, 57));
    }

    public List<Choice> choices() {
      return choices;
    }

    public Optional<Usage> usage() {
      return Optional.of(usage);
    }
  }

  /** One choice. */
  public static final class Choice {
    private final AnswerMessage message;

    Choice(AnswerMessage message) {
      this.message = message;
    }

    public AnswerMessage message() {
      return message;
    }
  }

  /** The answer. */
  public static final class AnswerMessage {
    private final String content;

    AnswerMessage(String content) {
      this.content = content;
    }

    public Optional<String> content() {
      return Optional.of(content);
    }
  }

  /** Token counts. */
  public static final class Usage {
    private final long promptTokens;
    private final long completionTokens;

    Usage(long promptTokens, long completionTokens) {
      this.promptTokens = promptTokens;
      this.completionTokens = completionTokens;
    }

    public long promptTokens() {
      return promptTokens;
    }

    public long completionTokens() {
      return completionTokens;
    }
  }
}
