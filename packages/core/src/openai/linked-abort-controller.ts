/**
 * An `AbortController` that also fires when `parent` does, so a group of requests can be cancelled together
 * (on the first failure) or all at once by the caller. Call `dispose()` when done to drop the listener.
 */
export function linkedAbortController(parent: AbortSignal | undefined): {
  controller: AbortController;
  dispose: () => void;
} {
  const controller = new AbortController();
  if (parent === undefined) return { controller, dispose: () => {} };
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  return { controller, dispose: () => parent.removeEventListener('abort', onAbort) };
}
