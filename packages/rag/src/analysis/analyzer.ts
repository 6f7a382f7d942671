/**
 * Turns text into the terms a keyword index stores and matches. The same analyzer must be used for
 * documents and queries, or their terms will not meet.
 */
export type Analyzer = (text: string) => string[];
