const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'hr',
  'main',
  'nav',
  'ol',
  'p',
  'section',
  'summary',
  'table',
  'tbody',
  'thead',
  'tr',
  'ul',
]);
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'button']);

/**
 * The text of an HTML subtree as light Markdown: headings as `#` lines (so the Markdown chunker keeps
 * the section path), blocks as paragraphs, list items as `- ` lines, `pre` kept as written.
 */
export function htmlToMarkdownText(root: Node): string {
  const parts: string[] = [];
  const walk = (node: Node, preformatted: boolean): void => {
    if (node.nodeType === 3) {
      const text = node.textContent ?? '';
      parts.push(preformatted ? text : text.replace(/\s+/g, ' '));
      return;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
    const tag = node.nodeType === 1 ? (node as Element).tagName.toLowerCase() : '';
    if (SKIPPED.has(tag)) return;
    const level = /^h([1-6])$/.exec(tag)?.[1];
    if (level) {
      parts.push(
        `\n\n${'#'.repeat(Number(level))} ${(node.textContent ?? '').replace(/\s+/g, ' ').trim()}\n\n`,
      );
      return;
    }
    if (tag === 'br') parts.push('\n');
    else if (tag === 'li') parts.push('\n- ');
    else if (tag === 'pre') parts.push('\n\n');
    else if (tag === 'td' || tag === 'th') parts.push(' ');
    else if (BLOCKS.has(tag)) parts.push('\n\n');
    for (const child of Array.from(node.childNodes)) walk(child, preformatted || tag === 'pre');
    if (tag === 'pre' || BLOCKS.has(tag)) parts.push('\n\n');
  };
  walk(root, false);
  return parts
    .join('')
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, '').replace(/^ (?=\S)/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
