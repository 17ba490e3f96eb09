package io.github.cachelayer.benchmarks;

/**
 * One measured combination: benchmark method, who ran it (provider or client), the value kind,
 * threads, the ops/s of its iterations (median, min, max, count), and the median bytes the
 * whole JVM allocated per operation (JMH's gc profiler; NaN where it did not run).
 */
record Measurement(String operation, String subject, String value, int threads, double median,
    double min, double max, long samples, double bytesPerOp) {

  String key() {
    return operation + "|" + value + "|" + threads;
  }
}
