import type { Metadata } from '@neptune/core';
import { htmlToMarkdownText } from './html-text';
import { checkedDocuments, type DocumentLoader, fileTitle, loading, textOf } from './loader-input';
import { optionalPackage } from './optional-package';

/** Page furniture, removed before the article is looked for; a header inside the article is its own. */
const FURNITURE =
  'nav, aside, form, script, style, noscript, template, [role="navigation"], [aria-hidden="true"]';
const PAGE_FRAME = 'header, footer';

function removeFurniture(document: Document): void {
  for (const element of Array.from(document.querySelectorAll(FURNITURE))) element.remove();
  for (const element of Array.from(document.querySelectorAll(PAGE_FRAME))) {
    if (!element.parentElement?.closest('article, main')) element.remove();
  }
}

/** The libraries an HTML file needs, named together when either is missing. */
const HTML_PACKAGES = ['@mozilla/readability', 'linkedom'] as const;

/**
 * HTML: the main content found by Mozilla's Readability (the Firefox reader view), not the navigation,
 * headers, footers or sidebars, parsed with linkedom (no browser). Headings become `#` lines and the
 * document is `format: 'markdown'`. A page where Readability finds no article falls back to its body
 * without navigation. Byline, site name, language and publication time go into metadata when present.
 * Needs the optional packages `@mozilla/readability` and `linkedom`.
 */
export const loadHtml: DocumentLoader = (input) =>
  loading(input.id, 'HTML file', async () => {
    const html = textOf(input);
    // Both named in either failure: an app missing one usually lacks the other too.
    const { parseHTML } = await optionalPackage(input.id, HTML_PACKAGES, () => import('linkedom'));
    const { Readability } = await optionalPackage(
      input.id,
      HTML_PACKAGES,
      () => import('@mozilla/readability'),
    );
    const document = parseHTML(html).document as unknown as Document;
    const pageTitle = document.querySelector('title')?.textContent?.trim() || undefined;
    const headingTitle = document.querySelector('h1')?.textContent?.trim() || undefined;
    removeFurniture(document);
    const article = new Readability<Node>(document, { serializer: (node) => node }).parse();
    let text = article?.content ? htmlToMarkdownText(article.content) : '';
    if (text === '') {
      // Readability changes the page it reads, so the fallback reads a fresh copy.
      const page = parseHTML(html).document as unknown as Document;
      removeFurniture(page);
      text = htmlToMarkdownText(page.body ?? page);
    }
    const found: Metadata = {};
    if (article?.byline) found.author = article.byline.trim();
    if (article?.siteName) found.siteName = article.siteName.trim();
    if (article?.lang) found.lang = article.lang;
    if (article?.publishedTime) found.publishedTime = article.publishedTime;
    return checkedDocuments(input.id, [
      {
        id: input.id,
        text,
        title: article?.title?.trim() || pageTitle || headingTitle || fileTitle(input.id),
        source: input.source ?? input.id,
        metadata: { ...found, ...input.metadata },
        format: 'markdown',
      },
    ]);
  });
