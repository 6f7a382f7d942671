/** Samples memory while an operation runs: the peak of heap + ArrayBuffers and of RSS, in bytes. */
export function memorySampler(intervalMs = 50) {
  let peakHeap = 0;
  let peakRss = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakHeap = Math.max(peakHeap, usage.heapUsed + usage.arrayBuffers);
    peakRss = Math.max(peakRss, usage.rss);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakHeap, peakRss };
    },
  };
}
