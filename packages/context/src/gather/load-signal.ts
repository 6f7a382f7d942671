/**
 * A signal for one load: fires when the caller's signal fires or after `timeoutMs`. `dispose` clears the
 * timer once the load is done. Written out rather than `AbortSignal.any`, which Node 20.0-20.2 lack.
 */
export function loadSignal(
  callerSignal: AbortSignal | undefined,
  timeoutMs: number,
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(callerSignal?.reason);
  const timer = setTimeout(
    () => controller.abort(new Error(`the load ran past its ${timeoutMs} ms limit`)),
    timeoutMs,
  );
  if (callerSignal?.aborted) onAbort();
  else callerSignal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onAbort);
    },
  };
}
