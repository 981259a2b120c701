package dev.taskmaster.agent.config;

import dev.taskmaster.agent.valuepath.ValuePath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One configured interception: which method to intercept and where to read the model, prompt,
 * response and token counts of its calls. Immutable.
 *
 * <p>It comes from a block of keys such as:
 *
 * <pre>
 * intercept.chat.class=com.example.llm.LlmClient
 * intercept.chat.method=complete
 * intercept.chat.params=java.lang.String,com.example.llm.Options
 * intercept.chat.model=arg1.model
 * intercept.chat.tokens.input=return.usage().promptTokens()
 * </pre>
 *
 * <p>The loader sorts the blocks by name and numbers them from 0 in that order: the {@link #id()}
 * by which the instrumentation refers to a spec is its index in {@link
 * AgentConfig#interceptions()}.
 */
public final class InterceptionSpec {

  private final int id;
  private final String name;
  private final String className;
  private final String methodName;
  private final List<String> parameterTypes;
  private final String endpoint;
  private final ValuePath model;
  private final ValuePath prompt;
  private final ValuePath response;
  private final ValuePath inputTokens;
  private final ValuePath outputTokens;
  private final ValuePath cachedInputTokens;
  private final ValuePath requestId;

  /**
   * Creates a spec; the loader checks the names, this constructor does not.
   *
   * @param parameterTypes null to match every overload, else the exact parameter types
   * @param endpoint null for the name
   */
  public InterceptionSpec(
      int id,
      String name,
      String className,
      String methodName,
      List<String> parameterTypes,
      String endpoint,
      ValuePath model,
      ValuePath prompt,
      ValuePath response,
      ValuePath inputTokens,
      ValuePath outputTokens,
      ValuePath cachedInputTokens,
      ValuePath requestId) {
    this.id = id;
    this.name = name;
    this.className = className;
    this.methodName = methodName;
    this.parameterTypes =
        parameterTypes == null
            ? null
            : Collections.unmodifiableList(new ArrayList<>(parameterTypes));
    this.endpoint = endpoint == null ? name : endpoint;
    this.model = model;
    this.prompt = prompt;
    this.response = response;
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
    this.cachedInputTokens = cachedInputTokens;
    this.requestId = requestId;
  }

  /** Index of this spec among the configured ones, which are sorted by name. */
  public int id() {
    return id;
  }

  /** The block name, {@code chat} in {@code intercept.chat.class}. */
  public String name() {
    return name;
  }

  /** Binary name of the class that declares the method, e.g. {@code com.example.Outer$Inner}. */
  public String className() {
    return className;
  }

  /** Name of the intercepted method. */
  public String methodName() {
    return methodName;
  }

  /**
   * The exact parameter types, as fully qualified names such as {@code java.lang.String}, {@code
   * int} or {@code byte[][]}; empty for the method without parameters; null when every overload of
   * the name is intercepted.
   */
  public List<String> parameterTypes() {
    return parameterTypes;
  }

  /** Value of the {@code endpoint} label; by default the block name. */
  public String endpoint() {
    return endpoint;
  }

  /** Where the model name is read, or null. */
  public ValuePath model() {
    return model;
  }

  /** Where the prompt text is read, or null. */
  public ValuePath prompt() {
    return prompt;
  }

  /** Where the response text is read, or null. */
  public ValuePath response() {
    return response;
  }

  /** Where the number of input tokens is read ({@code tokens.input}), or null. */
  public ValuePath inputTokens() {
    return inputTokens;
  }

  /** Where the number of output tokens is read ({@code tokens.output}), or null. */
  public ValuePath outputTokens() {
    return outputTokens;
  }

  /** Where the number of cached input tokens is read ({@code tokens.cached}), or null. */
  public ValuePath cachedInputTokens() {
    return cachedInputTokens;
  }

  /** Where the call's id is read ({@code id}), such as the server's response id, or null. */
  public ValuePath requestId() {
    return requestId;
  }

  @Override
  public String toString() {
    return "InterceptionSpec{"
        + id
        + " "
        + name
        + ": "
        + className
        + "."
        + methodName
        + (parameterTypes == null ? "(..)" : "(" + String.join(",", parameterTypes) + ")")
        + " endpoint="
        + endpoint
        + field(" model=", model)
        + field(" prompt=", prompt)
        + field(" response=", response)
        + field(" tokens.input=", inputTokens)
        + field(" tokens.output=", outputTokens)
        + field(" tokens.cached=", cachedInputTokens)
        + field(" id=", requestId)
        + "}";
  }

  private static String field(String label, ValuePath path) {
    return path == null ? "" : label + path;
  }
}
