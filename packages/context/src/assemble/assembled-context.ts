import type { ChatMessage } from '@neptune/core';
import type { ContextItemScore } from '../score/score-context-items';
import type { SectionName } from './allocate-budget';

/** An element that made it into the messages. */
export interface AssembledElement {
  readonly section: SectionName;
  /** Item id, passage id, or for memory `summary`, `fact:{index}`, `message:{index}` (input indexes). */
  readonly id: string;
  /** The item's kind, for context items. */
  readonly kind?: string | undefined;
  readonly mode: 'full' | 'summary';
  /** 0-based rank within its section, in the order elements are kept. */
  readonly rank: number;
  /** Its cost, counted alone with its separator. */
  readonly tokens: number;
  /** For context items: the score and its parts. */
  readonly score?: ContextItemScore | undefined;
  /** For passages: the [n] it is cited by. */
  readonly marker?: number | undefined;
}

/** An item, passage or memory left out of the prompt, and why. */
export interface DroppedElement {
  readonly section: SectionName;
  readonly id: string;
  readonly kind?: string | undefined;
  readonly rank: number;
  /**
   * `budget`: did not fit; `unrelated`: no signal, query term or nearby date (see `includeUnrelated`);
   * `low-score`: under `minScore`; `duplicate`: an item or passage id seen already (the better-ranked copy
   * is kept).
   */
  readonly reason: 'budget' | 'unrelated' | 'low-score' | 'duplicate';
  readonly score?: ContextItemScore | undefined;
}

/** A kept passage's citation, under the marker the system message cites it by. */
export interface AssembledCitation {
  readonly marker: number;
  readonly passageId: string;
  readonly documentId?: string | undefined;
  readonly title?: string | undefined;
  readonly source?: string | undefined;
  readonly start?: number | undefined;
  readonly end?: number | undefined;
}

/**
 * What `assembleContext` returns: the chat messages to send, their token counts, and what was included,
 * dropped and cited.
 */
export interface AssembledContext {
  /**
   * `[system, ...history, user]`, each `{ role, content }`: what `openai.chat.completions.create` and
   * the Vercel AI SDK's `streamText({ messages })` take as is.
   */
  readonly messages: ChatMessage[];
  readonly tokens: {
    /** Every message's content plus chat framing, counted exactly: never above `maxTokens`. */
    readonly total: number;
    readonly maxTokens: number;
    /** What each section used, as packed (element by element, so a token or two off the exact total). */
    readonly sections: Readonly<Record<SectionName, number>>;
  };
  readonly included: readonly AssembledElement[];
  readonly dropped: readonly DroppedElement[];
  readonly citations: readonly AssembledCitation[];
  /** With `measureUnpruned`: the tokens of the same request with every element in full. */
  readonly unprunedTokens?: number | undefined;
}
