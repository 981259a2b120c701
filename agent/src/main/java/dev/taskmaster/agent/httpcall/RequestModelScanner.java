package dev.taskmaster.agent.httpcall;

/**
 * Finds the {@code "model"} string of a JSON request body without parsing it, so that the {@code
 * model} label of a call is known on the calling thread at the cost of one scan of the body.
 * Everything else in the body is read later, off that thread.
 */
final class RequestModelScanner {

  private static final byte[] KEY = {'"', 'm', 'o', 'd', 'e', 'l', '"'};
  private static final int MAX_MODEL_BYTES = 256;

  private RequestModelScanner() {}

  /** Returns the value of the first {@code "model": "..."} pair, or {@code null}. */
  static String model(byte[] body) {
    if (body == null) {
      return null;
    }
    int at = 0;
    while ((at = indexOf(body, at)) >= 0) {
      int position = skipSpaces(body, at + KEY.length);
      if (position < body.length && body[position] == ':') {
        position = skipSpaces(body, position + 1);
        if (position < body.length && body[position] == '"') {
          return stringAt(body, position + 1);
        }
        return null;
      }
      at += KEY.length;
    }
    return null;
  }

  private static String stringAt(byte[] body, int start) {
    int end = start;
    while (end < body.length && body[end] != '"' && end - start <= MAX_MODEL_BYTES) {
      if (body[end] == '\\') {
        return null; // An escaped model name: rare enough to leave to the full parse.
      }
      end++;
    }
    if (end >= body.length || body[end] != '"') {
      return null;
    }
    return new String(body, start, end - start, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static int indexOf(byte[] body, int from) {
    outer:
    for (int i = from; i <= body.length - KEY.length; i++) {
      for (int j = 0; j < KEY.length; j++) {
        if (body[i + j] != KEY[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int skipSpaces(byte[] body, int position) {
    while (position < body.length
        && (body[position] == ' '
            || body[position] == '\t'
            || body[position] == '\n'
            || body[position] == '\r')) {
      position++;
    }
    return position;
  }
}
