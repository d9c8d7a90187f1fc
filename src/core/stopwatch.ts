/** Milliseconds since the last call (or since it was made), rounded: for the diagnostics the bench reads. */
export function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const ms = now - last;
    last = now;
    return Math.round(ms);
  };
}
