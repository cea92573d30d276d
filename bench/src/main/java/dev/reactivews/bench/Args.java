package dev.reactivews.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** {@code scenario --name value --flag ...}: the load generator's command line. */
final class Args {
  final String scenario;
  private final Map<String, String> values = new HashMap<>();
  private final Set<String> flags = new HashSet<>();
  private final Set<String> used = new HashSet<>();

  Args(String[] args) {
    if (args.length == 0 || args[0].startsWith("--")) {
      throw new IllegalArgumentException("first argument: the scenario (fanout, idle, joins, chat, slow)");
    }
    scenario = args[0];
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("expected --option, got " + a);
      }
      String name = a.substring(2);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        values.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        values.put(name, args[++i]);
      } else {
        flags.add(name);
      }
    }
  }

  /** Sets an option the command line could not know yet (the measured server's pid). */
  void put(String name, String value) {
    values.put(name, value);
  }

  String string(String name, String fallback) {
    used.add(name);
    return values.getOrDefault(name, fallback);
  }

  long number(String name, long fallback) {
    String v = string(name, null);
    return v == null ? fallback : Long.parseLong(v.replace("_", ""));
  }

  int integer(String name, int fallback) {
    return Math.toIntExact(number(name, fallback));
  }

  double decimal(String name, double fallback) {
    String v = string(name, null);
    return v == null ? fallback : Double.parseDouble(v);
  }

  boolean flag(String name) {
    used.add(name);
    return flags.contains(name) || Boolean.parseBoolean(values.getOrDefault(name, "false"));
  }

  /** Throws for options no scenario asked for: a typo must not silently run the default. */
  void checkAllUsed() {
    Set<String> unknown = new HashSet<>(values.keySet());
    unknown.addAll(flags);
    unknown.removeAll(used);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown option(s) for " + scenario + ": " + unknown);
    }
  }
}
