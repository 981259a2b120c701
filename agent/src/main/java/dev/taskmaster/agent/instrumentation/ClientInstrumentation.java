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

  /** The advice class, read from the agent jar as a template and inlined. */
  final Class<?> advice;

  public ClientInstrumentation(
      String className, String methodName, List<String> parameterTypes, Class<?> advice) {
    this.className = className;
    this.methodName = methodName;
    this.parameterTypes = parameterTypes;
    this.advice = advice;
  }

  MethodSelector selector() {
    return new MethodSelector("http.clients", className, methodName, parameterTypes);
  }
}
