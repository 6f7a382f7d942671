import { z } from 'zod';

/**
 * Facts about an item that raise its priority. The built-in names carry the optimization plan's weights
 * (`hotLead` 10, `overdue` 9, `today` 8, `recentConversation` 7); add your own names and give them a
 * weight in `scoring.priorityWeights`. `overdue` and `today` are also derived from `dueAt` and `startsAt`
 * when scoring; an explicit `false` here overrides that (a completed task past its due date).
 */
export interface ContextSignals {
  readonly hotLead?: boolean | undefined;
  readonly overdue?: boolean | undefined;
  readonly today?: boolean | undefined;
  readonly recentConversation?: boolean | undefined;
  readonly [signal: string]: boolean | undefined;
}

/** Where an item comes from, kept with it through assembly so that an answer can point at it. */
export interface ContextCitation {
  readonly title?: string | undefined;
  readonly source?: string | undefined;
  readonly url?: string | undefined;
  readonly documentId?: string | undefined;
}

/**
 * One piece of app context as a source produces it and assembly consumes it. Plain JSON (times in epoch
 * milliseconds), so that it is cached as is.
 */
export interface ContextItem {
  /**
   * Identifies the record across sources: two items with the same id (a deal found by a search and by the
   * CRM summary) are shown once. Prefix ids with the entity: `deal-42`, `task-7`.
   */
  readonly id: string;
  /** The kind of the source that produced it (`crm`, `calendar`, `tasks`). */
  readonly kind: string;
  /** What the model is told the item is (`lead`, `deal`, `event`); defaults to the kind. */
  readonly type: string;
  readonly title: string;
  /** The full text, shown for the top-ranked items. */
  readonly detail: string;
  /** One line, shown for the others. */
  readonly summary: string;
  /** Last activity (created, updated, last message): drives recency. */
  readonly timestampMs?: number | undefined;
  /** When it is scheduled to happen (an event, a call): drives "today" and "soon". */
  readonly startsAtMs?: number | undefined;
  /** Its deadline (a task, an invoice): drives "overdue", "today" and "soon". */
  readonly dueAtMs?: number | undefined;
  readonly signals: ContextSignals;
  readonly citation?: ContextCitation | undefined;
}

type TimeInput = Date | number | string;

/** What a source's `toItem` returns: like `ContextItem`, with dates as you have them and defaults filled in. */
export interface ContextItemInput {
  readonly id: string | number;
  readonly type?: string | undefined;
  readonly title: string;
  /** Default: the summary. */
  readonly detail?: string | undefined;
  /** Whitespace is collapsed to one line. Default: the title. */
  readonly summary?: string | undefined;
  readonly timestamp?: TimeInput | null | undefined;
  readonly startsAt?: TimeInput | null | undefined;
  readonly dueAt?: TimeInput | null | undefined;
  readonly signals?: ContextSignals | undefined;
  readonly citation?: ContextCitation | undefined;
}

export const MAX_ITEM_ID_LENGTH = 256;
export const MAX_TITLE_LENGTH = 500;
export const MAX_SUMMARY_LENGTH = 500;
/** Long enough for a document section; anything longer belongs in retrieval, not in app context. */
export const MAX_DETAIL_LENGTH = 32_000;

const signalsSchema = z.record(z.string().min(1).max(64), z.boolean().optional());
const citationSchema = z.object({
  title: z.string().max(MAX_TITLE_LENGTH).optional(),
  source: z.string().max(2_000).optional(),
  url: z.string().max(2_000).optional(),
  documentId: z.string().max(MAX_ITEM_ID_LENGTH).optional(),
});
const epochMs = z.number().finite();
const labelSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N} _.-]+$/u, 'use letters, digits, spaces, _ . or -');

/** The stored shape, checked again when read back from a shared cache written by another deploy. */
export const contextItemSchema: z.ZodType<ContextItem> = z.object({
  id: z.string().min(1).max(MAX_ITEM_ID_LENGTH),
  kind: z.string().min(1).max(64),
  type: labelSchema,
  title: z.string().min(1).max(MAX_TITLE_LENGTH),
  detail: z.string().max(MAX_DETAIL_LENGTH),
  summary: z.string().min(1).max(MAX_SUMMARY_LENGTH),
  timestampMs: epochMs.optional(),
  startsAtMs: epochMs.optional(),
  dueAtMs: epochMs.optional(),
  signals: signalsSchema,
  citation: citationSchema.optional(),
});

const timeInput = z
  .union([z.date(), z.number(), z.string()])
  .nullish()
  .transform((value, context) => {
    if (value === null || value === undefined) return undefined;
    const ms =
      value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
    if (!Number.isFinite(ms)) {
      context.addIssue({ code: 'custom', message: 'must be a valid Date, epoch milliseconds or ISO string' });
      return z.NEVER;
    }
    return ms;
  });

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

const itemInputSchema = z.object({
  id: z.union([z.string().min(1).max(MAX_ITEM_ID_LENGTH), z.number().finite()]),
  type: labelSchema.optional(),
  title: z.string().transform(oneLine).pipe(z.string().min(1, 'must not be blank').max(MAX_TITLE_LENGTH)),
  detail: z.string().max(MAX_DETAIL_LENGTH).optional(),
  summary: z.string().transform(oneLine).pipe(z.string().max(MAX_SUMMARY_LENGTH)).optional(),
  timestamp: timeInput,
  startsAt: timeInput,
  dueAt: timeInput,
  signals: signalsSchema.optional(),
  citation: citationSchema.optional(),
});

export type ItemInputParse = ReturnType<typeof itemInputSchema.safeParse>;

/** Checks one `toItem` result and fills in the defaults. Callers turn a failure into their own error. */
export function parseItemInput(input: unknown): ItemInputParse {
  return itemInputSchema.safeParse(input);
}

/**
 * Items a source produced in this process, checked by `parseItemInput` and frozen: the assembler takes
 * them as they are instead of checking them again. Anything else (items a caller built, items read back
 * from a shared cache) is checked against `contextItemSchema`.
 */
const checkedItems = new WeakSet<ContextItem>();

/** True for an item `normalizeItem` made (checked, frozen); false for anything else. */
export function isCheckedItem(item: unknown): item is ContextItem {
  return typeof item === 'object' && item !== null && checkedItems.has(item as ContextItem);
}

/**
 * The normalized item for a parsed input: trimmed text, defaults, and only the fields that are set.
 * Frozen, and remembered as checked.
 */
export function normalizeItem(kind: string, input: z.output<typeof itemInputSchema>): ContextItem {
  const item = normalizedItem(kind, input);
  Object.freeze(item.signals);
  if (item.citation !== undefined) Object.freeze(item.citation);
  checkedItems.add(Object.freeze(item));
  return item;
}

function normalizedItem(kind: string, input: z.output<typeof itemInputSchema>): ContextItem {
  const summary = input.summary !== undefined && input.summary !== '' ? input.summary : input.title;
  const detail = input.detail?.trim() ? input.detail.trim() : summary;
  const signals: Record<string, boolean> = {};
  // Sorted and without undefined entries, so the same item always serializes to the same bytes.
  for (const name of Object.keys(input.signals ?? {}).sort()) {
    const value = input.signals?.[name];
    if (value !== undefined) signals[name] = value;
  }
  return {
    id: String(input.id),
    kind,
    type: input.type ?? kind,
    title: input.title,
    detail,
    summary,
    ...(input.timestamp === undefined ? {} : { timestampMs: input.timestamp }),
    ...(input.startsAt === undefined ? {} : { startsAtMs: input.startsAt }),
    ...(input.dueAt === undefined ? {} : { dueAtMs: input.dueAt }),
    signals,
    ...(input.citation === undefined ? {} : { citation: input.citation }),
  };
}
