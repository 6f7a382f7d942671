import type { Scope } from '../scope';
import type { ChatMessage } from './chat-model';

interface StrategyCallOptions {
  readonly signal?: AbortSignal | undefined;
}

/** Rewrites a query into variations. The original is never dropped by the retriever, whatever this returns. */
export interface QueryExpander {
  readonly name: string;
  expand(
    query: string,
    options: StrategyCallOptions & {
      /** How many variations to return at most. */
      readonly count: number;
      readonly scope?: Scope | undefined;
      /** Top passages of a first search, for pseudo-relevance feedback. */
      readonly feedback?: readonly string[] | undefined;
    },
  ): Promise<string[]>;
}

/** A passage given to a reranker. */
export interface RerankCandidate {
  readonly id: string;
  readonly text: string;
  /** The score from the previous stage, for rerankers that blend. */
  readonly score?: number | undefined;
}

/** A reranker's relevance score for one candidate. */
export interface RerankResult {
  readonly id: string;
  /** Relevance in [0, 1]; higher is better. */
  readonly score: number;
}

/** Orders candidates by relevance to the query, in one batched call. Returns at most `topN`, best first. */
export interface Reranker {
  readonly name: string;
  rerank(
    query: string,
    candidates: readonly RerankCandidate[],
    options: StrategyCallOptions & { readonly topN: number },
  ): Promise<RerankResult[]>;
}

/** A named thing found in a text, and its type. */
export interface ExtractedEntity {
  readonly name: string;
  /** person, organization, product, place, date, amount, email, ... */
  readonly type: string;
}

/** A fact found in a text, with what it is about and how sure the extractor is. */
export interface ExtractedFact {
  /** A short, self-contained statement: "Budget for the Q3 campaign is $40k". */
  readonly text: string;
  /** What the fact is about, so a newer fact on the same subject supersedes it. */
  readonly subject: string;
  readonly confidence: number;
}

/** What a fact extractor found in a text: the entities and the facts. */
export interface ExtractionResult {
  readonly entities: ExtractedEntity[];
  readonly facts: ExtractedFact[];
}

/** Pulls entities and facts out of conversation turns. At most one model call per invocation. */
export interface FactExtractor {
  readonly name: string;
  extract(
    messages: readonly ChatMessage[],
    options?: StrategyCallOptions & { readonly knownFacts?: readonly ExtractedFact[] | undefined },
  ): Promise<ExtractionResult>;
}

/** Folds texts (turns, items) into a summary within a token budget, optionally extending a previous one. */
export interface Summarizer {
  readonly name: string;
  summarize(
    input: readonly ChatMessage[] | readonly string[],
    options: StrategyCallOptions & {
      readonly maxTokens: number;
      readonly previousSummary?: string | undefined;
    },
  ): Promise<string>;
}
