package dev.reactivews.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What /proc tells about the server process (resident memory, CPU time; Linux only), and whether it listens. */
final class Proc {
  /** Clock ticks per second of /proc/PID/stat's times: USER_HZ, 100 on every Linux we run on. */
  static final long CLOCK_TICKS = Long.getLong("bench.clockTicks", 100);

  private Proc() {}

  /** VmRSS of the process in bytes, or -1 when it cannot be read. */
  static long rssBytes(long pid) {
    if (pid <= 0) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024; // kB
        }
      }
    } catch (IOException | RuntimeException e) {
      Log.progress("cannot read /proc/%d/status: %s", pid, e);
    }
    return -1;
  }

  /** utime + stime of the process (every thread) in nanoseconds, or -1 when it cannot be read. */
  static long cpuNanos(long pid) {
    if (pid <= 0) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name, which may hold spaces and ends at the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of stat(5)
      return ticks * 1_000_000_000L / CLOCK_TICKS;
    } catch (IOException | RuntimeException e) {
      Log.progress("cannot read /proc/%d/stat: %s", pid, e);
    }
    return -1;
  }

  /**
   * Busy and total clock ticks of every CPU since boot ({@code /proc/stat}), indexed by CPU
   * number; empty when it cannot be read. Two readings tell how busy each core was in between,
   * whoever kept it busy: a process's own CPU time cannot show a core shared with others.
   */
  static long[][] cpuTicks() {
    try {
      List<long[]> cpus = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
        if (!line.startsWith("cpu") || line.startsWith("cpu ")) {
          continue;
        }
        String[] f = line.trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
          total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle and iowait
        cpus.add(new long[] {total - idle, total});
      }
      return cpus.toArray(long[][]::new);
    } catch (IOException | RuntimeException e) {
      Log.progress("cannot read /proc/stat: %s", e);
      return new long[0][];
    }
  }

  /** Whether something accepts TCP connections at the address. */
  static boolean listening(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
