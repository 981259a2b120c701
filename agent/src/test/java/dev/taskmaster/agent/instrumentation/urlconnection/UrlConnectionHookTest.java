package dev.taskmaster.agent.instrumentation.urlconnection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UrlConnectionHookTest {

  @Test
  void readsTheCodeOfAStatusLine() {
    assertEquals(200, UrlConnectionHook.statusCode("HTTP/1.1 200 OK"));
    assertEquals(429, UrlConnectionHook.statusCode("HTTP/1.0 429"));
    assertEquals(500, UrlConnectionHook.statusCode("HTTP/2 500 Internal Server Error"));
    assertEquals(-1, UrlConnectionHook.statusCode(null));
    assertEquals(-1, UrlConnectionHook.statusCode("HTTP/1.1"));
    assertEquals(-1, UrlConnectionHook.statusCode("HTTP/1.1 2x0 OK"));
    assertEquals(-1, UrlConnectionHook.statusCode("ICY 200 OK"));
  }
}
