package dev.taskmaster.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.taskmaster.agent.util.AgentLog;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.InstrumentedType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Rewrites one class file with the advice of the interceptions that apply to it. This is the only
 * class that touches Byte Buddy, and it is created on the first class that needs it, so a JVM that
 * never loads a monitored class never pays for Byte Buddy.
 *
 * <p>The output keeps the class's shape (no added members), so that it is also valid for
 * retransformation of classes that are already loaded.
 */
final class AdviceWeaver {

  private final ByteBuddy byteBuddy =
      new ByteBuddy()
          .with(TypeValidation.DISABLED)
          .with(Implementation.Context.Disabled.Factory.INSTANCE)
          .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
          .with(InstrumentedType.Factory.Default.FROZEN);

  private final ClassFileLocator agentClasses =
      ClassFileLocator.ForClassLoader.of(AdviceWeaver.class.getClassLoader());
  private final TypePool agentTypes = TypePool.Default.of(agentClasses);
  private final List<MethodSelector> selectors;
  private final Advice[] adviceById;

  AdviceWeaver(List<MethodSelector> selectors) {
    this.selectors = selectors;
    this.adviceById = new Advice[selectors.size()];
    for (int id = 0; id < selectors.size(); id++) {
      adviceById[id] =
          Advice.withCustomMapping()
              .bind(ConfiguredMethodAdvice.InterceptionId.class, id)
              .to(ConfiguredMethodAdvice.class, agentClasses);
    }
  }

  /**
   * Returns the woven class file, or {@code null} when no method of this class is selected.
   *
   * @param woven receives the id of every interception that selected at least one method
   */
  byte[] weave(ClassLoader loader, String internalName, byte[] classFile, int[] ids, IdSink woven) {
    String binaryName = internalName.replace('/', '.');
    ClassFileLocator locator = locator(loader, binaryName, classFile);
    TypeDescription type = pool(locator).describe(binaryName).resolve();
    DynamicType.Builder<?> builder = byteBuddy.redefine(type, locator);
    boolean changed = false;
    for (int id : ids) {
      MethodSelector selector = selectors.get(id);
      ElementMatcher<MethodDescription> methods = methodMatcher(selector);
      if (type.getDeclaredMethods().filter(methods).isEmpty()) {
        if (type.getName().equals(selector.typeName)) {
          warnIfNoSuchMethod(type, selector);
        }
        continue;
      }
      builder = builder.visit(adviceById[id].on(methods));
      woven.accept(id);
      changed = true;
    }
    return changed ? builder.make().getBytes() : null;
  }

  /** Returns the class file with the advice of the given client instrumentations woven in. */
  byte[] weaveClientMethods(
      ClassLoader loader,
      String internalName,
      byte[] classFile,
      List<ClientInstrumentation> instrumentations) {
    String binaryName = internalName.replace('/', '.');
    ClassFileLocator locator = locator(loader, binaryName, classFile);
    TypeDescription type = pool(locator).describe(binaryName).resolve();
    DynamicType.Builder<?> builder = byteBuddy.redefine(type, locator);
    boolean changed = false;
    for (ClientInstrumentation instrumentation : instrumentations) {
      ElementMatcher<MethodDescription> methods = methodMatcher(instrumentation.selector());
      if (type.getDeclaredMethods().filter(methods).isEmpty()) {
        AgentLog.debug(
            "client instrumentation found no "
                + instrumentation.methodName
                + " in "
                + binaryName
                + "; this client version is not monitored");
        continue;
      }
      TypeDescription advice = agentTypes.describe(instrumentation.advice).resolve();
      builder = builder.visit(Advice.to(advice, agentClasses).on(methods));
      changed = true;
    }
    return changed ? builder.make().getBytes() : null;
  }

  private static ClassFileLocator locator(ClassLoader loader, String binaryName, byte[] classFile) {
    return new ClassFileLocator.Compound(
        ClassFileLocator.Simple.of(binaryName, classFile),
        loader == null
            ? ClassFileLocator.ForClassLoader.ofBootLoader()
            : ClassFileLocator.ForClassLoader.of(loader));
  }

  private static TypePool pool(ClassFileLocator locator) {
    return new TypePool.Default.WithLazyResolution(
        new TypePool.CacheProvider.Simple(), locator, TypePool.Default.ReaderMode.FAST);
  }

  private static ElementMatcher<MethodDescription> methodMatcher(MethodSelector selector) {
    return anyMethodMatcher(selector).and(not(isAbstract())).and(not(isBridge()));
  }

  private static ElementMatcher.Junction<MethodDescription> anyMethodMatcher(
      MethodSelector selector) {
    ElementMatcher.Junction<MethodDescription> matcher = isMethod().and(named(selector.methodName));
    if (selector.parameterTypes != null) {
      matcher = matcher.and(method -> parametersMatch(method, selector.parameterTypes));
    }
    return matcher;
  }

  /** The configured type itself was loaded: say so once if it has no such method at all. */
  private static void warnIfNoSuchMethod(TypeDescription type, MethodSelector selector) {
    ElementMatcher<MethodDescription> any = anyMethodMatcher(selector);
    if (!type.getDeclaredMethods().filter(any).isEmpty() || inheritsMethod(type, any, 0)) {
      return;
    }
    String parameters =
        selector.parameterTypes == null ? "" : " with parameters " + selector.parameterTypes;
    AgentLog.warn(
        selector.configKey
            + ".method="
            + selector.methodName
            + ": "
            + type.getName()
            + " has no method of that name"
            + parameters
            + "; this interception is inactive. Accepted: the name of a method the class declares"
            + " or inherits (and, with .params, its exact parameter types).");
  }

  private static boolean inheritsMethod(
      TypeDefinition type, ElementMatcher<MethodDescription> any, int depth) {
    if (depth > 32) {
      return false;
    }
    List<TypeDefinition> superTypes = new ArrayList<>();
    if (type.getSuperClass() != null) {
      superTypes.add(type.getSuperClass());
    }
    superTypes.addAll(type.getInterfaces());
    for (TypeDefinition superType : superTypes) {
      if (!superType.getDeclaredMethods().filter(any).isEmpty()
          || inheritsMethod(superType, any, depth + 1)) {
        return true;
      }
    }
    return false;
  }

  private static boolean parametersMatch(MethodDescription method, List<String> expected) {
    List<TypeDescription> actual = method.getParameters().asTypeList().asErasures();
    if (actual.size() != expected.size()) {
      return false;
    }
    for (int i = 0; i < actual.size(); i++) {
      if (!sameTypeName(actual.get(i), expected.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameTypeName(TypeDefinition type, String configured) {
    String actual = type.asErasure().getActualName();
    return actual.equals(configured) || actual.replace('$', '.').equals(configured);
  }

  /** Receives interception ids. */
  interface IdSink {
    void accept(int id);
  }
}
