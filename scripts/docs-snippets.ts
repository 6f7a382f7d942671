import { readFileSync } from 'node:fs';

/** A code block of a docs page that names the file it is: `<!-- file: app/api/chat/route.ts -->` before it. */
export interface DocsSnippet {
  /** The path the snippet is written to, relative to an app's root. */
  readonly file: string;
  readonly code: string;
}

const TAGGED_BLOCK = /<!--\s*file:\s*(\S+)\s*-->\s*\n```[a-z]*\n([\s\S]*?)\n```/g;

/**
 * The file-tagged code blocks of a markdown page, in order. Tests write them into an app and build and
 * run it, so that a page's snippets cannot drift from what works.
 */
export function docsSnippets(markdownFile: string): DocsSnippet[] {
  const markdown = readFileSync(markdownFile, 'utf8');
  return [...markdown.matchAll(TAGGED_BLOCK)].map((match) => ({ file: match[1]!, code: `${match[2]!}\n` }));
}
