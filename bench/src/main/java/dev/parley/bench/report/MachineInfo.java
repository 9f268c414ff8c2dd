package dev.parley.bench.report;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;

/** The machine and JVM the bench ran on (the server may run elsewhere: see the server numbers). */
public record MachineInfo(
    String host,
    int cores,
    long memoryBytes,
    String os,
    String javaVersion,
    String javaVm,
    long benchMaxHeapBytes,
    long maxFileDescriptors) {

  public static MachineInfo current() {
    long memory = -1;
    long fds = -1;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      memory = os.getTotalMemorySize();
    }
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      fds = unix.getMaxFileDescriptorCount();
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown";
    }
    return new MachineInfo(
        host,
        Runtime.getRuntime().availableProcessors(),
        memory,
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
        Runtime.getRuntime().maxMemory(),
        fds);
  }

  /** CPU time this JVM has used so far, in seconds (-1 if unknown). */
  public static double processCpuSeconds() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1e9;
    }
    return -1;
  }
}
