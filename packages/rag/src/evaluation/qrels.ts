/** Relevance judgments for one query: document id → graded relevance (0 or less: judged not relevant). */
export type Judgments = ReadonlyMap<string, number>;

/** Judgments for every query of a test collection: query id → judgments (TREC "qrels"). */
export type Qrels = ReadonlyMap<string, Judgments>;

/** What a system retrieved: query id → document ids, best first (TREC "run"). */
export type Run = ReadonlyMap<string, readonly string[]>;
