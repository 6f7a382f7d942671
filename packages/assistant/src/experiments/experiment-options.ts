import { z } from 'zod';
import type { AssistantOptions } from '../assistant-options';

/** What a variant may change: the model and how the answer is built, never the stores or the scope. */
export type VariantOptions = Partial<
  Pick<
    AssistantOptions,
    | 'model'
    | 'fallbackModel'
    | 'retrieve'
    | 'budget'
    | 'rewrite'
    | 'instructions'
    | 'recallTokens'
    | 'maxOutputTokens'
    | 'temperature'
  >
>;

/** One arm of an experiment: its id, its share of users, and what it changes. */
export interface ExperimentVariant {
  /** Recorded on every request event and shown on the dashboard: `control`, `rerank`, ... */
  readonly id: string;
  /** The share of users who get this variant, in percent; the variants' shares add up to 100. */
  readonly percent: number;
  /** Changes from the assistant's own options; `retrieve` and `budget` are merged into them. None: control. */
  readonly options?: VariantOptions | undefined;
}

/**
 * An A/B test of the assistant's configuration. Each user is assigned a variant by a stable hash of the
 * experiment id, workspace and user, so they keep it across requests and instances. The first variant is
 * the control the others are compared with.
 */
export interface ExperimentOptions {
  readonly id: string;
  readonly variants: readonly ExperimentVariant[];
}

const idSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/,
    'must be 1 to 40 letters, digits, _ or -, starting with a letter or digit',
  );

export const experimentSchema = z
  .object({
    id: idSchema,
    variants: z
      .array(
        z.object({
          id: idSchema,
          percent: z.number().min(0).max(100),
          options: z.record(z.string(), z.unknown()).optional(),
        }),
      )
      .min(2, 'must hold at least two variants: the control first, then what it is compared with')
      .max(10),
  })
  .refine(
    (experiment) =>
      new Set(experiment.variants.map((variant) => variant.id)).size === experiment.variants.length,
    {
      message: 'variant ids must differ',
      path: ['variants'],
    },
  )
  .refine(
    (experiment) =>
      Math.abs(experiment.variants.reduce((sum, variant) => sum + variant.percent, 0) - 100) < 1e-9,
    {
      message: "variants' percent must add up to 100 (80 and 20 for the plan's 20% test)",
      path: ['variants'],
    },
  );
