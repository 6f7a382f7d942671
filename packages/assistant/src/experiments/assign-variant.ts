import type { Scope } from '@neptune/core';
import type { ExperimentOptions, ExperimentVariant } from './experiment-options';

/** FNV-1a, 32 bits: stable across processes and runtimes, and spreads similar ids evenly. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The variant of `experiment` a user gets: a position in [0, 100) from a hash of the experiment, the
 * workspace and the user, mapped onto the variants' cumulative percentages. The same user always gets
 * the same variant (sticky), and a new experiment id reshuffles everyone. A scope without a user is
 * assigned as its workspace.
 */
export function assignVariant(experiment: ExperimentOptions, scope: Scope): ExperimentVariant {
  const position =
    (fnv1a(`${experiment.id}\u0000${scope.workspaceId}\u0000${scope.userId ?? ''}`) % 10_000) / 100;
  let upTo = 0;
  for (const variant of experiment.variants) {
    upTo += variant.percent;
    if (position < upTo) return variant;
  }
  return experiment.variants.at(-1)!;
}
