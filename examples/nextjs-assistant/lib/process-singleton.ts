/**
 * One instance per server process, kept on globalThis: route bundles and dev reloads share it. A failed
 * creation is forgotten, so the next request tries again instead of failing forever.
 */
export function processSingleton<T>(key: symbol, create: () => Promise<T>): Promise<T> {
  const holder = globalThis as { [key]?: Promise<T> };
  holder[key] ??= create().catch((error: unknown) => {
    delete holder[key];
    throw error;
  });
  return holder[key];
}
