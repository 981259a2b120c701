package dev.taskmaster.agent.logging;

import dev.taskmaster.agent.core.ModelCall;

/**
 * Attaches extra fields to the {@code request} line of a call, such as quality scores. Runs on the
 * agent's background call thread, after the standard fields were put; a name that is already
 * present is ignored.
 *
 * <pre>{@code
 * callLog.addFields((call, line) -> line.put("quality_score", scorer.score(call)));
 * }</pre>
 */
@FunctionalInterface
public interface CallLogFields {

  /** Puts fields about {@code call} into {@code line}. Exceptions are caught and counted. */
  void addTo(ModelCall call, LogLine line);
}
