package dev.taskmaster.agent.instrumentation;

import dev.taskmaster.agent.util.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The agent's only class file transformer. For each class the JVM defines it runs a cheap test on
 * the class file's bytes ({@link TypeMatcher}); only a class that an interception selects goes to
 * {@link AdviceWeaver}, which is created the first time it is needed.
 */
public final class InterceptionTransformer implements ClassFileTransformer {

  private static final String AGENT_PACKAGE = "dev/taskmaster/agent/";

  private final List<MethodSelector> selectors;
  private final Map<String, List<ClientInstrumentation>> clientMethodsByClass;
  private final TypeMatcher matcher;
  private final Consumer<Throwable> failureCounter;
  // Plain arrays under this object's lock: counted once per woven class, read at shutdown.
  private final int[] wovenClassesById;
  private final int[] matchedClassesById;
  private final AdviceWeaver.IdSink wovenCounter = new WovenCounter();
  private final ThreadLocal<Boolean> transforming = new ThreadLocal<>();
  private volatile AdviceWeaver weaver;

  private InterceptionTransformer(
      List<MethodSelector> selectors,
      List<ClientInstrumentation> clientMethods,
      Consumer<Throwable> failures) {
    this.selectors = selectors;
    Map<String, List<ClientInstrumentation>> byClass = new HashMap<>();
    for (ClientInstrumentation clientMethod : clientMethods) {
      String internalName = clientMethod.className.replace('.', '/');
      List<ClientInstrumentation> methods = byClass.get(internalName);
      if (methods == null) {
        methods = new ArrayList<>();
        byClass.put(internalName, methods);
      }
      methods.add(clientMethod);
    }
    this.clientMethodsByClass = byClass;
    List<String> targets = new ArrayList<>(selectors.size());
    for (MethodSelector selector : selectors) {
      targets.add(selector == null ? null : selector.typeName);
    }
    this.matcher = new TypeMatcher(targets);
    this.failureCounter = failures;
    this.wovenClassesById = new int[selectors.size()];
    this.matchedClassesById = new int[selectors.size()];
  }

  /**
   * Installs a transformer for the given interceptions and retransforms the matching classes that
   * are already loaded.
   *
   * @param selectors for each interception id, its selector; {@code null} for a disabled one
   * @param clientMethods the client-library methods the agent instruments by itself
   * @param failures counts a failure that was swallowed
   */
  public static InterceptionTransformer install(
      Instrumentation instrumentation,
      List<MethodSelector> selectors,
      List<ClientInstrumentation> clientMethods,
      Consumer<Throwable> failures) {
    InterceptionTransformer transformer =
        new InterceptionTransformer(selectors, clientMethods, failures);
    if (!transformer.matcher.hasTargets() && transformer.clientMethodsByClass.isEmpty()) {
      return transformer;
    }
    instrumentation.addTransformer(transformer, true);
    transformer.retransformLoaded(instrumentation);
    return transformer;
  }

  /**
   * How many loaded classes were the target type of the interception with this id, or one of its
   * subtypes, whether or not they declared a matching method.
   */
  public int matchedClasses(int interceptionId) {
    synchronized (this) {
      return matchedClassesById[interceptionId];
    }
  }

  /** How many classes the interception with this id has been woven into so far. */
  public int wovenClasses(int interceptionId) {
    synchronized (this) {
      return wovenClassesById[interceptionId];
    }
  }

  private void retransformLoaded(Instrumentation instrumentation) {
    List<Class<?>> candidates = new ArrayList<>();
    for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
      if (instrumentation.isModifiableClass(loaded) && isSubtypeOfTarget(loaded)) {
        candidates.add(loaded);
      }
    }
    for (Class<?> candidate : candidates) {
      try {
        instrumentation.retransformClasses(candidate);
      } catch (Throwable failure) {
        failureCounter.accept(failure);
        AgentLog.warn(
            "could not instrument the already loaded class "
                + candidate.getName()
                + ": "
                + failure);
      }
    }
  }

  private boolean isSubtypeOfTarget(Class<?> type) {
    try {
      if (clientMethodsByClass.containsKey(type.getName().replace('.', '/'))) {
        return true;
      }
      for (Class<?> current = type; current != null; current = current.getSuperclass()) {
        if (matcher.isTarget(current.getName().replace('.', '/'))
            || implementsTarget(current.getInterfaces())) {
          return true;
        }
      }
    } catch (Throwable unreadable) {
      // A class whose hierarchy cannot be read is not a candidate.
    }
    return false;
  }

  private boolean implementsTarget(Class<?>[] interfaces) {
    for (Class<?> anInterface : interfaces) {
      if (matcher.isTarget(anInterface.getName().replace('.', '/'))
          || implementsTarget(anInterface.getInterfaces())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classFile) {
    if (className == null || className.startsWith(AGENT_PACKAGE) || transforming.get() != null) {
      return null;
    }
    transforming.set(Boolean.TRUE);
    try {
      List<ClientInstrumentation> clientMethods = clientMethodsByClass.get(className);
      if (clientMethods != null) {
        return weaver().weaveClientMethods(loader, className, classFile, clientMethods);
      }
      int[] ids = matcher.match(className, loader, classFile);
      if (ids.length == 0) {
        return null;
      }
      synchronized (this) {
        for (int id : ids) {
          matchedClassesById[id]++;
        }
      }
      return weaver().weave(loader, className, classFile, ids, wovenCounter);
    } catch (Throwable failure) {
      failureCounter.accept(failure);
      AgentLog.debug("could not instrument " + className + ": " + failure);
      return null;
    } finally {
      transforming.remove();
    }
  }

  private AdviceWeaver weaver() {
    AdviceWeaver current = weaver;
    if (current == null) {
      synchronized (this) {
        current = weaver;
        if (current == null) {
          current = new AdviceWeaver(selectors);
          weaver = current;
        }
      }
    }
    return current;
  }

  /** Counts the classes each interception was woven into. */
  private final class WovenCounter implements AdviceWeaver.IdSink {
    @Override
    public void accept(int id) {
      synchronized (InterceptionTransformer.this) {
        wovenClassesById[id]++;
      }
    }
  }
}
