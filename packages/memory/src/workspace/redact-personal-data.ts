import { findEntities } from '../extraction/find-entities';

const PLACEHOLDERS: Record<string, string> = { email: '[email]', phone: '[phone]', person: '[name]' };

/**
 * Replaces emails, phone numbers and people's names with placeholders, using the offline extractor's
 * patterns. Applied to action types before they are stored, and again before anything is aggregated
 * across users. It errs towards redacting: a capitalised two-word label may become `[name]`.
 */
export function redactPersonalData(text: string): string {
  const spans = findEntities(text).filter((entity) => PLACEHOLDERS[entity.type] !== undefined);
  let redacted = text;
  for (const span of [...spans].sort((a, b) => b.start - a.start)) {
    redacted = redacted.slice(0, span.start) + PLACEHOLDERS[span.type] + redacted.slice(span.end);
  }
  return redacted;
}
