import { z } from 'zod';
import type { VariantOptions } from './variant-options';

export type { VariantOptions } from './variant-options';

const idSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/,
    'must be 1 to 40 letters, digits, _ or -, starting with a letter or digit',
  );

const variantShape = {
  /** Recorded on every request event and shown on the dashboard: `control`, `rerank`, ... */
  id: idSchema,
  /** The share of users who get this variant, in percent; the variants' shares add up to 100. */
  percent: z.number().min(0).max(100),
  /** Changes from the assistant's own options; `retrieve` and `budget` are merged into them. None: control. */
  options: z
    .custom<VariantOptions>(
      (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
      'must be an object',
    )
    .optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const variantSchema: z.ZodObject<typeof variantShape> = z.object(variantShape);

/** One arm of an experiment: its id, its share of users, and what it changes. */
export type ExperimentVariant = z.input<typeof variantSchema>;

const experimentShape = {
  /** Names the experiment on events and the dashboard, and seeds the hash that assigns users to variants. */
  id: idSchema,
  /** The variants, the control first; their `percent` add up to 100. */
  variants: z
    .array(variantSchema)
    .min(2, 'must hold at least two variants: the control first, then what it is compared with')
    .max(10)
    .readonly(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const experimentObjectSchema: z.ZodObject<typeof experimentShape> = z.object(experimentShape);

export const experimentSchema = experimentObjectSchema
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

/**
 * An A/B test of the assistant's configuration. Each user is assigned a variant by a stable hash of the
 * experiment id, workspace and user, so they keep it across requests and instances. The first variant is
 * the control the others are compared with.
 */
export type ExperimentOptions = z.input<typeof experimentSchema>;
