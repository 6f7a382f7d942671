/**
 * The longest question or search query any Neptune part takes, in characters: a question, not a document.
 * One limit for the whole request flow, so a question the assistant accepts is never refused further on:
 * the assistant's `message`, the knowledge base's `retrieve`, the gatherer's and the assembler's `query`
 * and the follow-up rewriter all check against it.
 */
export const MAX_QUERY_LENGTH = 4_000;
