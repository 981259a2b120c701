package dev.taskmaster.agent.instrumentation;

import java.util.List;

/**
 * One method of a client library that the agent instruments by itself, with the advice that hands
 * it to a hook. Matched by exact class name, so it costs one hash lookup per loaded class.
 */
public final class ClientInstrumentation {

  /** Binary name of the class that declares the method. */
  final String className;

  final String methodName;

  /** Binary names of the parameter types. */
  final List<String> parameterTypes;

  /**
   * Binary name of the advice class, read from the agent jar as a template and inlined; a name
   * rather than a class, so that premain does not load the advice of every client library.
   */
  final String advice;

  public ClientInstrumentation(
      String className, String methodName, List<String> parameterTypes, String advice) {
    this.className = className;
    this.methodName = methodName;
    this.parameterTypes = parameterTypes;
    this.advice = advice;
  }

  MethodSelector selector() {
    return new MethodSelector("http.clients", className, methodName, parameterTypes);
  }
}
