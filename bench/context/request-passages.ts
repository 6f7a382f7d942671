import { passagesFor } from './generate-dataset';
import { createRandom } from './random';
import type { BenchRequest } from './request-mix';

/** Five retrieved passages per question, the same each time the question is asked. */
export function requestPassages(request: BenchRequest) {
  const key = `${request.user.workspaceId}/${request.user.userId}/${request.queryIndex}`;
  let seed = 2166136261;
  for (let index = 0; index < key.length; index++)
    seed = Math.imul(seed ^ key.charCodeAt(index), 16777619) >>> 0;
  return passagesFor(createRandom(seed), 5);
}
