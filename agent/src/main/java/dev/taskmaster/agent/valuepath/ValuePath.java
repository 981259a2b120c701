package dev.taskmaster.agent.valuepath;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A compiled expression that reads a value out of an intercepted call, such as {@code
 * return.usage().promptTokens()} or {@code arg1.model}.
 *
 * <p>Syntax: a root, then any number of steps.
 *
 * <ul>
 *   <li>Roots: {@code argN} (the N-th argument, from 0), {@code return} (the returned value),
 *       {@code this} (the receiver; absent for static methods).
 *   <li>{@code .name()} calls the public no-argument method {@code name}.
 *   <li>{@code .name} reads a property: the first of the public no-argument methods {@code
 *       getName()}, {@code isName()}, {@code name()}, then the public field {@code name}; on an
 *       array, {@code .length} is its length.
 *   <li>{@code [N]} takes the N-th element (from 0) of a {@code List}, another {@code Collection}
 *       (in iteration order) or an array, primitive arrays included.
 * </ul>
 *
 * <p>{@code Optional}, {@code OptionalInt}, {@code OptionalLong} and {@code OptionalDouble} are
 * unwrapped after the root and after every step; an empty one is absent.
 *
 * <p>{@link #resolve} never throws: null, a missing member, an index out of range or an exception
 * inside the application's code all make the value absent ({@code null}). Exceptions and unexpected
 * lookup errors are counted by {@link #failureCount()}; the others are ordinary absence.
 *
 * <p>Members are looked up once per step and receiver class, then cached as method handles in a
 * {@link ClassValue}, which does not keep application class loaders alive. A member is bound
 * through a public, exported declaring type (the receiver's class, a superclass or an interface),
 * so a non-public implementation of a public interface works; only when no such type has the member
 * is {@link java.lang.reflect.AccessibleObject#trySetAccessible()} tried, which on JDK 17 and later
 * either succeeds silently or fails without a warning.
 *
 * <p>Instances are immutable apart from their failure counters, and safe to share between threads.
 */
public final class ValuePath {

  /** The accepted syntax, quoted in every parse error. */
  public static final String SYNTAX =
      "a value path is arg<N>, return or this, followed by any number of .name, .name() or [N]"
          + " steps, e.g. return.usage().promptTokens() or arg0.messages[0].content";

  private static final int ROOT_ARG = 0;
  private static final int ROOT_RETURN = 1;
  private static final int ROOT_THIS = 2;

  /** The JVM allows at most 255 parameters. */
  private static final int MAX_ARG_INDEX = 255;

  /** Counts member lookups across all paths; lets tests prove that handles are cached. */
  private static final AtomicLong LOOKUPS = new AtomicLong();

  private final String expression;
  private final int root;
  private final int argIndex;
  private final Step[] steps;
  private final LongAdder failures = new LongAdder();
  private volatile Throwable lastFailure;

  private ValuePath(String expression, int root, int argIndex, List<Step> steps) {
    this.expression = expression;
    this.root = root;
    this.argIndex = argIndex;
    this.steps = steps.toArray(new Step[0]);
    for (Step step : this.steps) {
      step.owner = this;
    }
  }

  /**
   * Compiles an expression.
   *
   * @throws IllegalArgumentException if it does not parse; the message quotes the expression, names
   *     the problem and its position, and ends with the accepted syntax
   */
  public static ValuePath parse(String expression) {
    return new Parser(expression).parse();
  }

  /**
   * Reads the value from a call.
   *
   * @param self the receiver, or null for a static method
   * @param args the arguments (primitives boxed), or null
   * @param returned the returned value, or null
   * @return the value, or null when it is absent
   */
  public Object resolve(Object self, Object[] args, Object returned) {
    try {
      Object value;
      if (root == ROOT_ARG) {
        value = args != null && argIndex < args.length ? args[argIndex] : null;
      } else if (root == ROOT_RETURN) {
        value = returned;
      } else {
        value = self;
      }
      value = unwrap(value);
      for (Step step : steps) {
        if (value == null) {
          return null;
        }
        value = unwrap(step.apply(value));
      }
      return value;
    } catch (Throwable t) {
      recordFailure(t);
      return null;
    }
  }

  /** The expression as written, trimmed. */
  public String expression() {
    return expression;
  }

  /**
   * How often resolving this path met an exception: thrown by the application's code (a getter that
   * threw) or by an unexpected lookup error. Absence for ordinary reasons is not counted.
   */
  public long failureCount() {
    return failures.sum();
  }

  /** The most recent failure counted by {@link #failureCount()}, or null; for debug logs. */
  public Throwable lastFailure() {
    return lastFailure;
  }

  @Override
  public String toString() {
    return expression;
  }

  /**
   * Converts a resolved value to text: null stays null, an enum gives its {@code name()}, anything
   * else its {@code toString()}; null if that throws.
   */
  public static String asString(Object value) {
    try {
      value = unwrap(value);
      if (value == null || value instanceof String) {
        return (String) value;
      }
      if (value instanceof Enum) {
        return ((Enum<?>) value).name();
      }
      return value.toString();
    } catch (Throwable t) {
      return null;
    }
  }

  /**
   * Converts a resolved value to a long: a number (truncated towards zero), or a string holding a
   * number; {@code absentValue} for null, anything else, and numbers that do not fit.
   */
  public static long asLong(Object value, long absentValue) {
    try {
      value = unwrap(value);
      if (value instanceof Long
          || value instanceof Integer
          || value instanceof Short
          || value instanceof Byte) {
        return ((Number) value).longValue();
      }
      if (value instanceof BigInteger) {
        BigInteger big = (BigInteger) value;
        return big.bitLength() < 64 ? big.longValue() : absentValue;
      }
      if (value instanceof CharSequence) {
        String text = value.toString().trim();
        if (!looksNumeric(text)) {
          return absentValue;
        }
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException notAnInteger) {
          value = Double.parseDouble(text);
        }
      }
      if (value instanceof Number) {
        double d = ((Number) value).doubleValue();
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
          return absentValue;
        }
        return ((Number) value).longValue();
      }
      return absentValue;
    } catch (Throwable t) {
      return absentValue;
    }
  }

  /**
   * Converts a resolved value to a double: a finite number, or a string holding one; {@code
   * absentValue} for null, NaN, infinities and anything else.
   */
  public static double asDouble(Object value, double absentValue) {
    try {
      value = unwrap(value);
      double d;
      if (value instanceof Number) {
        d = ((Number) value).doubleValue();
      } else if (value instanceof CharSequence) {
        String text = value.toString().trim();
        if (!looksNumeric(text)) {
          return absentValue;
        }
        d = Double.parseDouble(text);
      } else {
        return absentValue;
      }
      return Double.isFinite(d) ? d : absentValue;
    } catch (Throwable t) {
      return absentValue;
    }
  }

  /** Member lookups so far, across all paths; a test hook. */
  static long lookupCount() {
    return LOOKUPS.get();
  }

  private void recordFailure(Throwable t) {
    if (t instanceof InterruptedException) {
      // Keep the application's interrupt visible even though we swallow the exception.
      Thread.currentThread().interrupt();
    }
    failures.increment();
    lastFailure = t;
  }

  /** Plain decimal notation only: Java's parsers also take "NaN", "1d" and hexadecimal. */
  private static boolean looksNumeric(String text) {
    if (text.isEmpty() || text.length() > 64) {
      return false;
    }
    boolean digit = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c != '+' && c != '-' && c != '.' && c != 'e' && c != 'E') {
        return false;
      }
    }
    return digit;
  }

  private static Object unwrap(Object value) {
    while (value instanceof Optional) {
      value = ((Optional<?>) value).orElse(null);
    }
    if (value instanceof OptionalInt) {
      OptionalInt o = (OptionalInt) value;
      return o.isPresent() ? (Object) o.getAsInt() : null;
    }
    if (value instanceof OptionalLong) {
      OptionalLong o = (OptionalLong) value;
      return o.isPresent() ? (Object) o.getAsLong() : null;
    }
    if (value instanceof OptionalDouble) {
      OptionalDouble o = (OptionalDouble) value;
      return o.isPresent() ? (Object) o.getAsDouble() : null;
    }
    return value;
  }

  /**
   * One step of a path. Member steps cache one handle per receiver class; the class value is the
   * step itself, to keep the agent's class count small.
   */
  private static final class Step extends ClassValue<MethodHandle> {

    static final int CALL = 0;
    static final int PROPERTY = 1;
    static final int INDEX = 2;

    private static final MethodHandles.Lookup PUBLIC = MethodHandles.publicLookup();
    private static final MethodType GENERIC = MethodType.methodType(Object.class, Object.class);

    /** Marks "no such member"; compared by identity, never invoked. */
    private static final MethodHandle MISSING = MethodHandles.identity(Object.class);

    final int kind;
    final String name;
    final int index;
    ValuePath owner;

    Step(int kind, String name, int index) {
      this.kind = kind;
      this.name = name;
      this.index = index;
    }

    Object apply(Object receiver) throws Throwable {
      if (kind == INDEX) {
        return element(receiver, index);
      }
      if (kind == PROPERTY && "length".equals(name) && receiver.getClass().isArray()) {
        return Array.getLength(receiver);
      }
      MethodHandle handle = get(receiver.getClass());
      if (handle == MISSING) {
        return null;
      }
      return (Object) handle.invokeExact(receiver);
    }

    @Override
    protected MethodHandle computeValue(Class<?> type) {
      LOOKUPS.incrementAndGet();
      try {
        MethodHandle handle;
        if (kind == CALL) {
          handle = findMethod(type, name);
        } else {
          String capitalized = Character.toUpperCase(name.charAt(0)) + name.substring(1);
          handle = findMethod(type, "get" + capitalized);
          if (handle == null) {
            handle = findMethod(type, "is" + capitalized);
          }
          if (handle == null) {
            handle = findMethod(type, name);
          }
          if (handle == null) {
            handle = findField(type, name);
          }
        }
        return handle != null ? handle : MISSING;
      } catch (Throwable t) {
        owner.recordFailure(t);
        return MISSING;
      }
    }

    private static Object element(Object receiver, int index) {
      if (receiver instanceof List) {
        List<?> list = (List<?>) receiver;
        return index < list.size() ? list.get(index) : null;
      }
      if (receiver.getClass().isArray()) {
        return index < Array.getLength(receiver) ? Array.get(receiver, index) : null;
      }
      if (receiver instanceof Collection) {
        Iterator<?> it = ((Collection<?>) receiver).iterator();
        for (int i = 0; it.hasNext(); i++) {
          Object next = it.next();
          if (i == index) {
            return next;
          }
        }
      }
      return null;
    }

    /**
     * Finds a public instance method without parameters, bound through a public type: the class and
     * its superclasses first, then their interfaces breadth-first, then setAccessible.
     */
    private MethodHandle findMethod(Class<?> type, String methodName) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        MethodHandle handle = methodOn(c, methodName);
        if (handle != null) {
          return handle;
        }
      }
      ArrayDeque<Class<?>> queue = new ArrayDeque<>();
      Set<Class<?>> seen = new HashSet<>();
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        addInterfaces(c, queue, seen);
      }
      while (!queue.isEmpty()) {
        Class<?> candidate = queue.poll();
        MethodHandle handle = methodOn(candidate, methodName);
        if (handle != null) {
          return handle;
        }
        addInterfaces(candidate, queue, seen);
      }
      return forcedMethod(type, methodName);
    }

    private static void addInterfaces(Class<?> c, ArrayDeque<Class<?>> queue, Set<Class<?>> seen) {
      for (Class<?> i : c.getInterfaces()) {
        if (seen.add(i)) {
          queue.add(i);
        }
      }
    }

    private MethodHandle methodOn(Class<?> type, String methodName) {
      if (!isPublicAndExported(type)) {
        return null;
      }
      try {
        Method method = type.getMethod(methodName);
        if (Modifier.isStatic(method.getModifiers())) {
          return null;
        }
        MethodType methodType = MethodType.methodType(method.getReturnType());
        return PUBLIC.findVirtual(type, methodName, methodType).asType(GENERIC);
      } catch (NoSuchMethodException | IllegalAccessException e) {
        return null;
      } catch (LinkageError e) {
        // getMethod loads every signature type of the class; one may be missing. Try the others.
        owner.recordFailure(e);
        return null;
      }
    }

    private static MethodHandle forcedMethod(Class<?> type, String methodName) {
      try {
        Method method = type.getMethod(methodName);
        if (!Modifier.isStatic(method.getModifiers()) && method.trySetAccessible()) {
          return PUBLIC.unreflect(method).asType(GENERIC);
        }
      } catch (NoSuchMethodException | IllegalAccessException | SecurityException e) {
        // Absent.
      }
      return null;
    }

    private static MethodHandle findField(Class<?> type, String fieldName) throws Throwable {
      Field field;
      try {
        field = type.getField(fieldName);
      } catch (NoSuchFieldException e) {
        return null;
      }
      if (Modifier.isStatic(field.getModifiers())) {
        return null;
      }
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        if (isPublicAndExported(c)) {
          try {
            return PUBLIC.findGetter(c, fieldName, field.getType()).asType(GENERIC);
          } catch (NoSuchFieldException | IllegalAccessException e) {
            // Try the next superclass.
          }
        }
      }
      if (field.trySetAccessible()) {
        return PUBLIC.unreflectGetter(field).asType(GENERIC);
      }
      return null;
    }

    private static boolean isPublicAndExported(Class<?> type) {
      return Modifier.isPublic(type.getModifiers())
          && type.getModule().isExported(type.getPackageName());
    }
  }

  /** A hand-written recursive-descent parser; the grammar is too small for regular expressions. */
  private static final class Parser {

    private final String text;
    private int pos;

    Parser(String expression) {
      this.text = expression == null ? "" : expression.trim();
    }

    ValuePath parse() {
      if (text.isEmpty()) {
        throw error("the value path is empty");
      }
      String word = identifier();
      int root;
      int argIndex = -1;
      if ("return".equals(word)) {
        root = ROOT_RETURN;
      } else if ("this".equals(word)) {
        root = ROOT_THIS;
      } else if (word.startsWith("arg") && (word.length() == 3 || isDigits(word.substring(3)))) {
        root = ROOT_ARG;
        argIndex = argIndex(word.substring(3));
      } else if (word.isEmpty()) {
        throw error("expected arg<N>, return or this at the start, found " + found());
      } else {
        throw error("unknown root '" + word + "': a path starts with arg<N>, return or this");
      }

      List<Step> steps = new ArrayList<>();
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '.') {
          pos++;
          steps.add(member());
        } else if (c == '[') {
          pos++;
          steps.add(index());
        } else {
          throw error("expected '.' or '[' at character " + (pos + 1) + ", found " + found());
        }
      }
      return new ValuePath(text, root, argIndex, steps);
    }

    private int argIndex(String digits) {
      if (digits.isEmpty()) {
        throw error(
            "'arg' needs a non-negative argument index such as arg0 (the first argument), found "
                + found());
      }
      if (digits.length() > 3 || Integer.parseInt(digits) > MAX_ARG_INDEX) {
        throw error("argument index " + digits + " is too large (at most " + MAX_ARG_INDEX + ")");
      }
      return Integer.parseInt(digits);
    }

    private Step member() {
      int start = pos;
      String name = identifier();
      if (name.isEmpty()) {
        throw error(
            "expected a member name after '.' at character " + start + ", found " + found());
      }
      if (pos < text.length() && text.charAt(pos) == '(') {
        pos++;
        if (pos < text.length() && text.charAt(pos) == ')') {
          pos++;
          return new Step(Step.CALL, name, -1);
        }
        if (pos >= text.length()) {
          throw error("missing ')' after '" + name + "(' at character " + (pos + 1));
        }
        throw error(
            "only methods without arguments can be called: expected ')' after '"
                + name
                + "(', found "
                + found());
      }
      return new Step(Step.PROPERTY, name, -1);
    }

    private Step index() {
      int start = pos;
      while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
        pos++;
      }
      String digits = text.substring(start, pos);
      if (digits.isEmpty()) {
        throw error(
            "expected a non-negative index inside '[ ]' at character "
                + (start + 1)
                + ", found "
                + found());
      }
      if (pos >= text.length() || text.charAt(pos) != ']') {
        throw error(
            "expected ']' after index "
                + digits
                + " at character "
                + (pos + 1)
                + ", found "
                + found());
      }
      pos++;
      int index;
      try {
        index = Integer.parseInt(digits);
      } catch (NumberFormatException e) {
        throw error("index " + digits + " is too large");
      }
      return new Step(Step.INDEX, null, index);
    }

    private String identifier() {
      int start = pos;
      if (pos < text.length() && Character.isJavaIdentifierStart(text.charAt(pos))) {
        pos++;
        while (pos < text.length() && Character.isJavaIdentifierPart(text.charAt(pos))) {
          pos++;
        }
      }
      return text.substring(start, pos);
    }

    private static boolean isDigits(String s) {
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) < '0' || s.charAt(i) > '9') {
          return false;
        }
      }
      return true;
    }

    private String found() {
      return pos < text.length() ? "'" + text.charAt(pos) + "'" : "the end";
    }

    private IllegalArgumentException error(String problem) {
      return new IllegalArgumentException(
          "invalid value path \"" + text + "\": " + problem + "; " + SYNTAX);
    }
  }
}
