package dev.taskmaster.agent.instrumentation;

import java.nio.charset.StandardCharsets;

/**
 * The super class and interfaces of a class file, read straight from its bytes without loading
 * anything: the cheap test that runs for every class the JVM defines.
 */
final class ClassHeader {

  private static final String[] NO_INTERFACES = new String[0];

  /** Internal name of the super class, {@code null} for {@code java/lang/Object} and modules. */
  final String superName;

  /** Internal names of the directly implemented interfaces. */
  final String[] interfaces;

  private ClassHeader(String superName, String[] interfaces) {
    this.superName = superName;
    this.interfaces = interfaces;
  }

  /**
   * Parses the header of a class file.
   *
   * @throws IllegalArgumentException when the bytes are not a well-formed class file
   */
  static ClassHeader parse(byte[] bytes) {
    try {
      return parseUnchecked(bytes);
    } catch (IndexOutOfBoundsException truncated) {
      throw new IllegalArgumentException("truncated class file", truncated);
    }
  }

  private static ClassHeader parseUnchecked(byte[] b) {
    if (readInt(b, 0) != 0xCAFEBABE) {
      throw new IllegalArgumentException("not a class file");
    }
    int count = readUnsignedShort(b, 8);
    int[] offsets = new int[count];
    int position = 10;
    for (int index = 1; index < count; index++) {
      offsets[index] = position;
      int tag = b[position] & 0xFF;
      switch (tag) {
        case 1: // Utf8
          position += 3 + readUnsignedShort(b, position + 1);
          break;
        case 3: // Integer
        case 4: // Float
        case 9: // Fieldref
        case 10: // Methodref
        case 11: // InterfaceMethodref
        case 12: // NameAndType
        case 17: // Dynamic
        case 18: // InvokeDynamic
          position += 5;
          break;
        case 5: // Long
        case 6: // Double
          position += 9;
          index++;
          break;
        case 7: // Class
        case 8: // String
        case 16: // MethodType
        case 19: // Module
        case 20: // Package
          position += 3;
          break;
        case 15: // MethodHandle
          position += 4;
          break;
        default:
          throw new IllegalArgumentException("unknown constant pool tag " + tag);
      }
    }
    int superIndex = readUnsignedShort(b, position + 4);
    String superName = superIndex == 0 ? null : className(b, offsets, superIndex);
    int interfaceCount = readUnsignedShort(b, position + 6);
    String[] interfaces = interfaceCount == 0 ? NO_INTERFACES : new String[interfaceCount];
    for (int i = 0; i < interfaceCount; i++) {
      interfaces[i] = className(b, offsets, readUnsignedShort(b, position + 8 + 2 * i));
    }
    if ("java/lang/Object".equals(superName)) {
      superName = null;
    }
    return new ClassHeader(superName, interfaces);
  }

  private static String className(byte[] b, int[] offsets, int classIndex) {
    int utf8 = offsets[readUnsignedShort(b, offsets[classIndex] + 1)];
    int length = readUnsignedShort(b, utf8 + 1);
    // Class names in class files are modified UTF-8; for names this equals standard UTF-8.
    return new String(b, utf8 + 3, length, StandardCharsets.UTF_8);
  }

  private static int readUnsignedShort(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  private static int readInt(byte[] b, int at) {
    return (readUnsignedShort(b, at) << 16) | readUnsignedShort(b, at + 2);
  }
}
