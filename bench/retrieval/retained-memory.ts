import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
// A fresh context picks up the flag, so the benchmark needs no `node --expose-gc`.
const collectGarbage = runInNewContext('gc') as () => void;

/** Heap plus ArrayBuffers (typed arrays live outside the JS heap), in bytes, after a full collection. */
export function retainedBytes(): number {
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}
