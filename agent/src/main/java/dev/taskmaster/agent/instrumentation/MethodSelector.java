package dev.taskmaster.agent.instrumentation;

import java.util.List;

/** Which methods of which type one interception selects. */
public final class MethodSelector {

  /** The configuration key prefix that defined it, such as {@code intercept.chat}. */
  final String configKey;

  /** Binary name of the class, abstract class or interface whose implementations are selected. */
  final String typeName;

  final String methodName;

  /** Binary names of the parameter types, or {@code null} for every overload. */
  final List<String> parameterTypes;

  /**
   * @param configKey the configuration key prefix that defined it, quoted in warnings
   */
  public MethodSelector(
      String configKey, String typeName, String methodName, List<String> parameterTypes) {
    this.configKey = configKey;
    this.typeName = typeName;
    this.methodName = methodName;
    this.parameterTypes = parameterTypes;
  }
}
