package dev.taskmaster.benchmarks.overhead;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The command line of {@code overhead}: which benchmarks, and how many rounds and calls. */
final class Settings {

  private static final Map<String, Integer> DEFAULTS = new LinkedHashMap<>();
  private static final Map<String, Integer> QUICK = new LinkedHashMap<>();

  static {
    // name, default, --quick
    define("warmup-rounds", 1, 0);
    define("startup-rounds", 10, 2);
    define("first-call-rounds", 6, 1);
    define("per-call-rounds", 5, 1);
    define("per-call-warmup", 15000, 20);
    define("per-call-calls", 2000, 50);
    // The model server's verbosity in percent: sets the size of the answers (about 1 KiB bodies).
    define("per-call-verbosity-percent", 270, 270);
    define("memory-rounds", 2, 1);
    define("memory-models", 5000, 5000);
    define("memory-first", 1000, 1000);
    define("memory-total", 1_000_000, 20_000);
    define("memory-pace-every", 1000, 1000);
    define("memory-pace-ms", 20, 5);
    define("scrape-rounds", 3, 1);
    define("scrape-warmup", 200, 20);
    define("scrape-count", 1000, 50);
    define("scrape-models", 50, 50);
    define("scrape-endpoints", 6, 6);
  }

  /** Benchmarks in the order they run. */
  static final List<String> ALL = List.of("startup", "first-call", "per-call", "memory", "scrape");

  final List<String> benchmarks = new ArrayList<>();
  final Map<String, Integer> values;
  String root;

  private Settings(boolean quick) {
    values = new LinkedHashMap<>(quick ? QUICK : DEFAULTS);
  }

  private static void define(String name, int normal, int quick) {
    DEFAULTS.put(name, normal);
    QUICK.put(name, quick);
  }

  int get(String name) {
    return values.get(name);
  }

  static Settings parse(String[] args) {
    boolean quick = List.of(args).contains("--quick");
    Settings settings = new Settings(quick);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--quick")) {
        continue;
      }
      if (arg.equals("--root")) {
        settings.root = args[++i];
      } else if (arg.startsWith("--") && settings.values.containsKey(arg.substring(2))) {
        settings.values.put(arg.substring(2), Integer.parseInt(args[++i]));
      } else if (ALL.contains(arg)) {
        settings.benchmarks.add(arg);
      } else {
        throw new IllegalArgumentException(
            "unknown argument "
                + arg
                + "; accepted: "
                + ALL
                + ", --quick, --root DIR, --"
                + String.join(" N, --", DEFAULTS.keySet())
                + " N");
      }
    }
    if (settings.benchmarks.isEmpty()) {
      settings.benchmarks.addAll(ALL);
    }
    return settings;
  }
}
