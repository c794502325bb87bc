/**
 * Samples the process's resident set size every 100 ms. PGlite runs inside this process, so on that back end the
 * figure includes the database itself; on PostgreSQL it is the importer and the run alone.
 */
export interface RssSampler {
  /** Highest RSS seen since start or the last `reset`, in bytes. */
  peak(): number;
  reset(): void;
  stop(): void;
}

/** Starts sampling; the timer is unref'd so a forgotten sampler never keeps the process alive. */
export function sampleRss(intervalMs = 100): RssSampler {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  }, intervalMs);
  timer.unref();
  const read = () => Math.max(peak, process.memoryUsage.rss());
  return {
    peak: read,
    reset() {
      peak = process.memoryUsage.rss();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
