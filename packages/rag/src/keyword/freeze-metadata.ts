import type { Metadata } from '@neptune/core';

/**
 * Freezes stored metadata (and its arrays) so that results can hand it out without a copy and without
 * letting a caller's mutation change what later filters see. Input was already copied by validation.
 */
export function freezeMetadata(metadata: Metadata): Metadata {
  for (const value of Object.values(metadata)) if (Array.isArray(value)) Object.freeze(value);
  return Object.freeze(metadata);
}
