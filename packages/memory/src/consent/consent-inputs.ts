import { parseInput } from '@neptune/core';
import { z } from 'zod';
import type { ConsentSettings } from './consent-store';

const settingsSchema = z.object({ extraction: z.boolean(), learning: z.boolean() }).strict();

export function parseConsentSettings(input: unknown): ConsentSettings {
  return parseInput(settingsSchema, input, 'consent settings');
}
