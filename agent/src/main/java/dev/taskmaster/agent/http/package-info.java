/**
 * Recognises language-model calls on the wire and reads them, whatever HTTP client the application
 * uses. Plain classes, no bytecode: the client instrumentation calls them.
 *
 * <p>Who calls what, on which thread:
 *
 * <ol>
 *   <li>For every request, on the calling thread: {@link
 *       dev.taskmaster.agent.http.EndpointMatcher#find(String)} with the URL path (never the
 *       query). {@code null} means not a model call: nothing more happens.
 *   <li>For a model call: {@link dev.taskmaster.agent.http.RequestReader#read(byte[], int,
 *       dev.taskmaster.agent.http.ApiFlavour)} on the request body, preferably off that thread.
 *   <li>On the thread that reads the response, as bytes pass to the application: {@link
 *       dev.taskmaster.agent.http.ResponseRecorder#onBytes(byte[], int, int)} (or the {@code
 *       ByteBuffer} and single-byte forms); then, from any thread, exactly one of {@code
 *       complete()}, {@code fail(Throwable)} or {@code cancel()} returns true.
 *   <li>The caller that got true hands the recorder to a background thread, which calls {@link
 *       dev.taskmaster.agent.http.ResponseParser#parse(dev.taskmaster.agent.http.ResponseRecorder,
 *       dev.taskmaster.agent.http.ApiFlavour, boolean, String)} and records the call.
 * </ol>
 *
 * <p>Nothing in this package throws to its caller, and none of it keeps headers, API keys or query
 * strings.
 */
package dev.taskmaster.agent.http;
