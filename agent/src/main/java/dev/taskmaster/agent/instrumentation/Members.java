package dev.taskmaster.agent.instrumentation;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Methods and fields of a client library's classes, found by name on the runtime class of an object
 * and cached per class. The agent cannot link against those classes (they may live in a class
 * loader it cannot see), so its hooks reach them through these handles. Any member, public or not,
 * declared by the class or a superclass; a member that is missing or inaccessible gives {@link
 * #ABSENT} instead of throwing.
 */
public final class Members {

  /** What a missing member returns. */
  public static final Object ABSENT = new Object();

  private Members() {}

  /** A method with the given parameter types (JDK types only), any return type. */
  public static Invoker method(String name, Class<?>... parameterTypes) {
    return new Invoker(name, parameterTypes);
  }

  /** A field, read by name. */
  public static FieldReader field(String name) {
    return new FieldReader(name);
  }

  /** Invokes one method on receivers of any class that declares or inherits it. */
  public static final class Invoker {
    private final String name;
    private final Class<?>[] parameterTypes;
    private final ClassValue<MethodHandle> handles =
        new ClassValue<>() {
          @Override
          protected MethodHandle computeValue(Class<?> type) {
            return find(type);
          }
        };

    private Invoker(String name, Class<?>[] parameterTypes) {
      this.name = name;
      this.parameterTypes = parameterTypes;
    }

    /** Whether {@code type} has this method. */
    public boolean isPresent(Class<?> type) {
      return handles.get(type) != null;
    }

    /** Calls the method without arguments; {@link #ABSENT} when {@code receiver} lacks it. */
    public Object call(Object receiver) throws Throwable {
      MethodHandle handle = receiver == null ? null : handles.get(receiver.getClass());
      return handle == null ? ABSENT : handle.invokeExact(receiver);
    }

    /** Calls the method with one argument. */
    public Object call(Object receiver, Object argument) throws Throwable {
      MethodHandle handle = receiver == null ? null : handles.get(receiver.getClass());
      return handle == null ? ABSENT : handle.invokeExact(receiver, argument);
    }

    /** Calls the method with three arguments. */
    public Object call(Object receiver, Object a, Object b, Object c) throws Throwable {
      MethodHandle handle = receiver == null ? null : handles.get(receiver.getClass());
      return handle == null ? ABSENT : handle.invokeExact(receiver, a, b, c);
    }

    private MethodHandle find(Class<?> type) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        try {
          Method method = c.getDeclaredMethod(name, parameterTypes);
          if (Modifier.isStatic(method.getModifiers()) || !method.trySetAccessible()) {
            return null;
          }
          MethodHandle handle = MethodHandles.lookup().unreflect(method);
          return handle.asType(MethodType.genericMethodType(parameterTypes.length + 1));
        } catch (NoSuchMethodException notHere) {
          // Look in the superclass.
        } catch (ReflectiveOperationException | RuntimeException | LinkageError inaccessible) {
          return null;
        }
      }
      return null;
    }
  }

  /** Reads one field of objects of any class that declares or inherits it. */
  public static final class FieldReader {
    private final String name;
    private final ClassValue<MethodHandle> getters =
        new ClassValue<>() {
          @Override
          protected MethodHandle computeValue(Class<?> type) {
            return find(type);
          }
        };

    private FieldReader(String name) {
      this.name = name;
    }

    /** The field's value (primitives boxed); {@link #ABSENT} when {@code receiver} lacks it. */
    public Object get(Object receiver) throws Throwable {
      MethodHandle getter = receiver == null ? null : getters.get(receiver.getClass());
      return getter == null ? ABSENT : getter.invokeExact(receiver);
    }

    private MethodHandle find(Class<?> type) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        try {
          Field field = c.getDeclaredField(name);
          if (Modifier.isStatic(field.getModifiers()) || !field.trySetAccessible()) {
            return null;
          }
          return MethodHandles.lookup()
              .unreflectGetter(field)
              .asType(MethodType.genericMethodType(1));
        } catch (NoSuchFieldException notHere) {
          // Look in the superclass.
        } catch (ReflectiveOperationException | RuntimeException | LinkageError inaccessible) {
          return null;
        }
      }
      return null;
    }
  }
}
