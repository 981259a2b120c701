package dev.taskmaster.agent.logging;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets and personal data in text with {@value #REPLACEMENT} before it is written
 * anywhere. Applied to captured prompts and responses and to error descriptions, which servers
 * sometimes fill with a part of the key they rejected.
 *
 * <p>Limit: patterns recognise common shapes only; a secret in an unknown format passes through.
 * Content capture stays off by default for that reason.
 */
public final class Redactor {

  /** What a match is replaced with. */
  public static final String REPLACEMENT = "[REDACTED]";

  /**
   * The default patterns: OpenAI- and Anthropic-style keys ({@code sk-...}), bearer tokens (of 16
   * characters or more), e-mail addresses, AWS access key ids, Google API keys; the value of a
   * secret-named query or form parameter ({@code api-key=}, {@code api_key=}, {@code apikey=},
   * {@code key=}, {@code access_token=}, {@code token=}, {@code secret=}, {@code client_secret=},
   * {@code password=}, any case; the name stays); the value of an {@code api-key:} header; and the
   * credentials of {@code Authorization: Basic ...}.
   */
  public static final List<Pattern> DEFAULT_PATTERNS =
      List.of(
          Pattern.compile("\\bsk-[A-Za-z0-9_-]{8,}"),
          Pattern.compile("(?i)\\bbearer\\s+[A-Za-z0-9._~+/-]{16,}=*"),
          Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"),
          Pattern.compile("\\bAKIA[0-9A-Z]{16}\\b"),
          Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}"),
          Pattern.compile(
              "(?i)(?<=\\b(?:api[-_]?key|key|access[-_]?token|token|secret|client[-_]?secret"
                  + "|password)=)[^&\\s\"'#<>]+"),
          Pattern.compile("(?i)(?<=\\bapi[-_]?key:[ \\t]{0,8})[^\\s,;\"']+"),
          Pattern.compile("(?i)(?<=\\bauthorization:[ \\t]{0,8}basic[ \\t]{1,8})[A-Za-z0-9+/]+=*"));

  private final Pattern[] patterns;

  public Redactor(List<Pattern> patterns) {
    this.patterns = patterns.toArray(new Pattern[0]);
  }

  /** Returns the text with every match replaced; {@code null} stays {@code null}. */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String result = text;
    for (Pattern pattern : patterns) {
      Matcher matcher = pattern.matcher(result);
      if (matcher.find()) {
        result = matcher.replaceAll(REPLACEMENT);
      }
    }
    return result;
  }
}
