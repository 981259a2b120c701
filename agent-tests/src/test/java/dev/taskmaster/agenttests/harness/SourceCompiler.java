package dev.taskmaster.agenttests.harness;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles Java sources at test time, into a directory or a jar, so that a fixture can load classes
 * that exist nowhere on its class path.
 */
public final class SourceCompiler {

  private SourceCompiler() {}

  /**
   * Compiles sources into a directory.
   *
   * @param sources binary class name to source text
   * @param classpath where the sources' dependencies are
   * @return the directory with the class files
   */
  public static Path compileToDirectory(
      Path workDirectory, Map<String, String> sources, List<Path> classpath) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new IllegalStateException("the tests need a JDK with javac, not a JRE");
    }
    try {
      Path sourceRoot = Files.createTempDirectory(workDirectory, "src");
      Path output = Files.createTempDirectory(workDirectory, "classes");
      List<String> arguments = new ArrayList<>();
      arguments.add("--release");
      arguments.add("17");
      arguments.add("-d");
      arguments.add(output.toString());
      arguments.add("-classpath");
      arguments.add(
          classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
      for (Map.Entry<String, String> source : sources.entrySet()) {
        Path file = sourceRoot.resolve(source.getKey().replace('.', '/') + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source.getValue());
        arguments.add(file.toString());
      }
      StringWriter messages = new StringWriter();
      OutputStream errors = new WriterOutputStream(messages);
      int result = compiler.run(null, errors, errors, arguments.toArray(new String[0]));
      if (result != 0) {
        throw new IllegalStateException("javac failed:\n" + messages);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Packs a directory of class files into a jar. */
  public static Path jar(Path classes, Path jarFile) {
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(jarFile));
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
        jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        jar.write(Files.readAllBytes(file));
        jar.closeEntry();
      }
      return jarFile;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Hands javac's byte output to a writer. */
  private static final class WriterOutputStream extends OutputStream {
    private final StringWriter writer;

    WriterOutputStream(StringWriter writer) {
      this.writer = writer;
    }

    @Override
    public void write(int b) {
      writer.write(b);
    }
  }
}
