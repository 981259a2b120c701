package dev.taskmaster.agent.instrumentation;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;

/**
 * Defines the agent's bridge classes in the bootstrap class loader, so that advice inlined into any
 * class (JDK classes included) can reach the agent.
 *
 * <p>It uses the JDK's internal {@code Unsafe.defineClass} after exporting its package to the agent
 * through {@link Instrumentation#redefineModule}, rather than appending a jar to the boot class
 * path: that would print a JVM warning and turn off class data sharing for the application.
 */
public final class BootstrapInjector {

  /** The bridge classes, in the order they must be defined. */
  static final String[] BRIDGE_CLASSES = {
    "dev.taskmaster.agent.bootstrap.CallDispatcher",
    "dev.taskmaster.agent.bootstrap.TaskMasterBridge",
  };

  private BootstrapInjector() {}

  /**
   * Makes the bridge classes resolvable from the bootstrap class loader. Classes already defined
   * there (a second attach) are left as they are.
   */
  public static void inject(Instrumentation instrumentation) throws Exception {
    Module javaBase = Object.class.getModule();
    Module agentModule = BootstrapInjector.class.getModule();
    instrumentation.redefineModule(
        javaBase,
        Set.of(),
        Map.of("jdk.internal.misc", Set.of(agentModule)),
        Map.of(),
        Set.of(),
        Map.of());
    Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
    Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
    Method defineClass =
        unsafeClass.getMethod(
            "defineClass",
            String.class,
            byte[].class,
            int.class,
            int.class,
            ClassLoader.class,
            ProtectionDomain.class);
    for (String className : BRIDGE_CLASSES) {
      if (isDefinedInBootstrap(className)) {
        continue;
      }
      byte[] bytes = readClassFile(className);
      defineClass.invoke(unsafe, className, bytes, 0, bytes.length, null, null);
    }
  }

  static boolean isDefinedInBootstrap(String className) {
    try {
      Class.forName(className, false, null);
      return true;
    } catch (ClassNotFoundException notThere) {
      return false;
    }
  }

  private static byte[] readClassFile(String className) throws IOException {
    String resource = className.replace('.', '/') + ".class";
    ClassLoader agentLoader = BootstrapInjector.class.getClassLoader();
    try (InputStream in = agentLoader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("the agent jar has no " + resource);
      }
      return in.readAllBytes();
    }
  }
}
