/** Redis SCAN MATCH takes a glob; our prefixes are literal, so its special characters are escaped. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
