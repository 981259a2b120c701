package dev.taskmaster.agent.core;

import dev.taskmaster.agent.config.InterceptionSpec;
import dev.taskmaster.agent.util.AgentLog;
import dev.taskmaster.agent.valuepath.ValuePath;

/**
 * An {@code intercept.<name>} block at run time: reads model, response and tokens from a call
 * through its value paths.
 */
final class ConfiguredInterception {

  final String endpoint;
  private final String keyPrefix;
  private final ValuePath model;
  private final ValuePath prompt;
  private final ValuePath response;
  private final ValuePath inputTokens;
  private final ValuePath outputTokens;
  private final ValuePath cachedInputTokens;
  private final ValuePath requestId;

  ConfiguredInterception(InterceptionSpec spec) {
    this.endpoint = spec.endpoint();
    this.keyPrefix = "intercept." + spec.name();
    this.model = spec.model();
    this.prompt = spec.prompt();
    this.response = spec.response();
    this.inputTokens = spec.inputTokens();
    this.outputTokens = spec.outputTokens();
    this.cachedInputTokens = spec.cachedInputTokens();
    this.requestId = spec.requestId();
  }

  String model(MethodCallScope call) {
    return ValuePath.asString(resolve(model, "model", call, null));
  }

  String prompt(MethodCallScope call) {
    return ValuePath.asString(resolve(prompt, "prompt", call, null));
  }

  String response(MethodCallScope call, Object returned) {
    return ValuePath.asString(resolve(response, "response", call, returned));
  }

  long inputTokens(MethodCallScope call, Object returned) {
    return ValuePath.asLong(resolve(inputTokens, "tokens.input", call, returned), -1);
  }

  long outputTokens(MethodCallScope call, Object returned) {
    return ValuePath.asLong(resolve(outputTokens, "tokens.output", call, returned), -1);
  }

  long cachedInputTokens(MethodCallScope call, Object returned) {
    return ValuePath.asLong(resolve(cachedInputTokens, "tokens.cached", call, returned), -1);
  }

  /** The call's id, or {@code null}: then the call gets a generated one. */
  String requestId(MethodCallScope call, Object returned) {
    return ValuePath.asString(resolve(requestId, "id", call, returned));
  }

  private Object resolve(ValuePath path, String field, MethodCallScope call, Object returned) {
    if (path == null) {
      return null;
    }
    Object value = path.resolve(call.self, call.arguments, returned);
    if (value == null) {
      String key = keyPrefix + "." + field;
      AgentLog.warnOnce(
          key,
          key
              + "="
              + path
              + " gave no value for a call of "
              + keyPrefix
              + " (the path met null, a missing member or an exception); check the path if this"
              + " repeats. Accepted: argN, return or this, then .name(), .name or [N] steps.");
    }
    return value;
  }
}
