package dev.taskmaster.agent.instrumentation;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides from class-file bytes alone which interceptions apply to a class: those whose target type
 * is the class itself or one of its super classes or interfaces, however indirect.
 *
 * <p>The JVM hands a class to transformers before its super types are loaded, so super types that
 * have not been seen yet are read as class files through the defining class loader. Results are
 * cached by type name, so each super type is read at most once. JDK types are not read: they match
 * only when they are named as a target themselves.
 */
final class TypeMatcher {

  static final int[] NONE = new int[0];
  private static final int MAX_DEPTH = 64;

  private final Map<String, int[]> targetIdsByType;
  private final ConcurrentHashMap<String, int[]> superTypeCache = new ConcurrentHashMap<>();

  /**
   * @param targetTypes for each interception id, the binary name of its target type
   */
  TypeMatcher(List<String> targetTypes) {
    Map<String, int[]> byType = new HashMap<>();
    for (int id = 0; id < targetTypes.size(); id++) {
      String type = targetTypes.get(id);
      if (type != null) {
        byType.merge(type.replace('.', '/'), new int[] {id}, TypeMatcher::union);
      }
    }
    this.targetIdsByType = byType;
  }

  boolean hasTargets() {
    return !targetIdsByType.isEmpty();
  }

  /** Returns whether a type of this name is itself a target. */
  boolean isTarget(String internalName) {
    return targetIdsByType.containsKey(internalName);
  }

  /**
   * Returns the ids of the interceptions that apply to the class being defined, or {@link #NONE}.
   *
   * @throws IllegalArgumentException when the bytes are not a class file
   */
  int[] match(String internalName, ClassLoader loader, byte[] classFile) {
    ClassHeader header = ClassHeader.parse(classFile);
    return withSuperTypes(own(internalName), header, loader, 0);
  }

  private int[] withSuperTypes(int[] ids, ClassHeader header, ClassLoader loader, int depth) {
    ids = union(ids, superTypeIds(header.superName, loader, depth));
    for (String anInterface : header.interfaces) {
      ids = union(ids, superTypeIds(anInterface, loader, depth));
    }
    return ids;
  }

  private int[] superTypeIds(String internalName, ClassLoader loader, int depth) {
    if (internalName == null) {
      return NONE;
    }
    int[] cached = superTypeCache.get(internalName);
    if (cached != null) {
      return cached;
    }
    int[] ids = own(internalName);
    if (!isJdkType(internalName) && depth < MAX_DEPTH) {
      byte[] classFile = readClassFile(internalName, loader);
      if (classFile != null) {
        try {
          ids = withSuperTypes(ids, ClassHeader.parse(classFile), loader, depth + 1);
        } catch (IllegalArgumentException unreadable) {
          // Treated as matching only by its own name.
        }
      }
    }
    superTypeCache.put(internalName, ids);
    return ids;
  }

  private int[] own(String internalName) {
    int[] ids = targetIdsByType.get(internalName);
    return ids == null ? NONE : ids;
  }

  static boolean isJdkType(String internalName) {
    return internalName.startsWith("java/")
        || internalName.startsWith("javax/")
        || internalName.startsWith("jdk/")
        || internalName.startsWith("sun/")
        || internalName.startsWith("com/sun/");
  }

  private static byte[] readClassFile(String internalName, ClassLoader loader) {
    ClassLoader source = loader != null ? loader : ClassLoader.getPlatformClassLoader();
    try (InputStream in = source.getResourceAsStream(internalName + ".class")) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  static int[] union(int[] a, int[] b) {
    if (b.length == 0 || a == b) {
      return a;
    }
    if (a.length == 0) {
      return b;
    }
    int[] merged = Arrays.copyOf(a, a.length + b.length);
    int size = a.length;
    for (int id : b) {
      if (!contains(merged, size, id)) {
        merged[size++] = id;
      }
    }
    merged = Arrays.copyOf(merged, size);
    Arrays.sort(merged);
    return merged;
  }

  private static boolean contains(int[] ids, int size, int id) {
    for (int i = 0; i < size; i++) {
      if (ids[i] == id) {
        return true;
      }
    }
    return false;
  }
}
