package io.github.cachelayer.benchmarks;

/**
 * One measured combination: benchmark method, who ran it (provider or client), the value kind,
 * threads, and the ops/s of its iterations (median, min, max, count).
 */
record Measurement(String operation, String subject, String value, int threads, double median,
    double min, double max, long samples) {

  String key() {
    return operation + "|" + value + "|" + threads;
  }
}
