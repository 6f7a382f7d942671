import { parseInput } from '@neptune/core';
import { z } from 'zod';

const cutoffSchema = z
  .number({ error: 'k must be a number' })
  .int('k must be a whole number')
  .positive('k must be at least 1');

/** Checks a metric's rank cutoff k (a positive integer) and returns it. */
export function parseCutoff(k: number, metric: string): number {
  return parseInput(cutoffSchema, k, `cutoff passed to ${metric}`);
}
