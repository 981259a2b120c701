package dev.taskmaster.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskmaster.agent.core.CallPipeline;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * The code that runs on the application's threads takes no monitor ({@code synchronized}) that
 * other calls contend for: on JDK 21 to 23 a virtual thread that waits to enter a monitor pins its
 * carrier, while one that waits for a {@code java.util.concurrent} lock unmounts. Read from the
 * compiled classes of the packages on the call path.
 */
class CallingThreadMonitorsTest {

  /** Packages whose code runs on the application's threads (advice, hooks, recording). */
  private static final List<String> CALL_PATH =
      List.of(
          "dev/taskmaster/agent/bootstrap",
          "dev/taskmaster/agent/core",
          "dev/taskmaster/agent/http",
          "dev/taskmaster/agent/httpcall",
          "dev/taskmaster/agent/instrumentation",
          "dev/taskmaster/agent/metrics",
          "dev/taskmaster/agent/valuepath",
          "dev/taskmaster/agent/util");

  /** Monitors that no two calls share, or that a calling thread enters only outside a call. */
  private static final Set<String> ALLOWED =
      Set.of(
          // Once, when the agent starts.
          "dev/taskmaster/agent/core/CallPipeline.start",
          // The call's own monitor: only the threads of that one call meet there.
          "dev/taskmaster/agent/httpcall/HttpModelCall.restartResponse",
          "dev/taskmaster/agent/httpcall/HttpModelCall.recorder",
          "dev/taskmaster/agent/instrumentation/okhttp/OkHttpHook$CallState.output",
          "dev/taskmaster/agent/instrumentation/okhttp/OkHttpHook$CallState.copyFailed",
          "dev/taskmaster/agent/instrumentation/okhttp/OkHttpHook$CallState.end",
          "dev/taskmaster/agent/instrumentation/okhttp/OkHttpHook$CallState.exit",
          // Once, at the first HttpURLConnection call.
          "dev/taskmaster/agent/instrumentation/urlconnection/UrlConnectionHook.ensureOpened",
          // While a class loads, when the JVM pins the thread anyway; and from the status page.
          "dev/taskmaster/agent/instrumentation/InterceptionTransformer.transform",
          "dev/taskmaster/agent/instrumentation/InterceptionTransformer.weaver",
          "dev/taskmaster/agent/instrumentation/InterceptionTransformer$WovenCounter.accept",
          "dev/taskmaster/agent/instrumentation/InterceptionTransformer.matchedClasses",
          "dev/taskmaster/agent/instrumentation/InterceptionTransformer.wovenClasses");

  @Test
  void noSharedMonitorOnTheCallPath() throws Exception {
    Path classes =
        Path.of(CallPipeline.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> found = new TreeSet<>();
    List<Path> scanned = new ArrayList<>();
    for (String pkg : CALL_PATH) {
      try (Stream<Path> files = Files.walk(classes.resolve(pkg))) {
        for (Path file :
            (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
          scanned.add(file);
          found.addAll(monitors(file));
        }
      }
    }
    found.removeAll(ALLOWED);

    assertTrue(scanned.size() > 50, "scanned only " + scanned);
    assertEquals(Set.of(), found);
  }

  /** The methods of a class file that are synchronized or enter a monitor. */
  private static Set<String> monitors(Path file) throws IOException {
    Set<String> methods = new TreeSet<>();
    try (InputStream in = Files.newInputStream(file)) {
      ClassReader reader = new ClassReader(in);
      String owner = reader.getClassName();
      reader.accept(
          new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] ex) {
              String method = owner + "." + name;
              if ((access & Opcodes.ACC_SYNCHRONIZED) != 0) {
                methods.add(method);
              }
              return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitInsn(int opcode) {
                  if (opcode == Opcodes.MONITORENTER) {
                    methods.add(method);
                  }
                }
              };
            }
          },
          ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    }
    return methods;
  }
}
