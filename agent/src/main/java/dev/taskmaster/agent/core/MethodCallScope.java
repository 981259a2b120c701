package dev.taskmaster.agent.core;

/** One configured-method call in progress, from entry to exit, on the calling thread. */
final class MethodCallScope {

  final ConfiguredInterception interception;
  final Object self;
  final Object[] arguments;
  final long startEpochMillis;
  final long startNanos;

  MethodCallScope(
      ConfiguredInterception interception,
      Object self,
      Object[] arguments,
      long startEpochMillis,
      long startNanos) {
    this.startEpochMillis = startEpochMillis;
    this.interception = interception;
    this.self = self;
    this.arguments = arguments;
    this.startNanos = startNanos;
  }
}
