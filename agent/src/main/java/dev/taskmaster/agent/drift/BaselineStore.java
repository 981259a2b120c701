package dev.taskmaster.agent.drift;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the frozen baseline ({@code drift.baseline.file}) as JSON:
 *
 * <pre>{@code
 * {"version": 1, "savedAtEpochMillis": 1760000000000,
 *  "signals": {"latency": {"count": 500, "mean": -0.41, "linearMean": 0.71, "sample": [...]}, ...}}
 * }</pre>
 *
 * <p>{@code mean} and {@code sample} are on the signal's comparison scale (natural log of seconds
 * for latency), {@code linearMean} in natural units. A file is replaced atomically where the file
 * system allows it.
 */
final class BaselineStore {

  static final int VERSION = 1;

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private BaselineStore() {}

  /** The file's layout. */
  static final class Contents {
    int version;
    long savedAtEpochMillis;
    Map<String, SignalBaseline> signals;
  }

  /**
   * Reads the baselines of the signals the file holds and that are valid.
   *
   * @return the baselines, empty when the file does not exist
   * @throws IOException when the file exists but cannot be read or is not a baseline file
   */
  static Map<DriftSignal, SignalBaseline> load(Path file) throws IOException {
    Map<DriftSignal, SignalBaseline> baselines = new EnumMap<>(DriftSignal.class);
    Contents contents;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      contents = GSON.fromJson(reader, Contents.class);
    } catch (NoSuchFileException absent) {
      return baselines;
    } catch (JsonParseException malformed) {
      throw new IOException("not a drift baseline file: " + malformed.getMessage(), malformed);
    }
    if (contents == null || contents.version != VERSION || contents.signals == null) {
      throw new IOException(
          "not a drift baseline file of version " + VERSION + " (no version or signals)");
    }
    for (Map.Entry<String, SignalBaseline> entry : contents.signals.entrySet()) {
      DriftSignal signal = DriftSignal.forLabel(entry.getKey());
      SignalBaseline baseline = entry.getValue();
      if (signal != null && baseline != null && baseline.isValid(signal)) {
        baselines.put(signal, baseline);
      }
    }
    return baselines;
  }

  /** Writes the baselines, replacing the file. */
  static void save(Path file, Map<DriftSignal, SignalBaseline> baselines) throws IOException {
    Contents contents = new Contents();
    contents.version = VERSION;
    contents.savedAtEpochMillis = System.currentTimeMillis();
    contents.signals = new LinkedHashMap<>();
    for (Map.Entry<DriftSignal, SignalBaseline> entry : baselines.entrySet()) {
      contents.signals.put(entry.getKey().label(), entry.getValue());
    }
    Path absolute = file.toAbsolutePath();
    Path directory = absolute.getParent();
    if (directory != null) {
      Files.createDirectories(directory);
    }
    Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
    try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
      GSON.toJson(contents, writer);
    }
    try {
      Files.move(
          temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException notAtomic) {
      Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
