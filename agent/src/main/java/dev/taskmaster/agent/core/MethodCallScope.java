package dev.taskmaster.agent.core;

/** One configured-method call in progress, from entry to exit, on the calling thread. */
final class MethodCallScope {

  final ConfiguredInterception interception;
  final Object self;
  final Object[] arguments;
  final long startNanos;

  MethodCallScope(
      ConfiguredInterception interception, Object self, Object[] arguments, long startNanos) {
    this.interception = interception;
    this.self = self;
    this.arguments = arguments;
    this.startNanos = startNanos;
  }
}
