import { describe, expect, it } from 'vitest';
import { loadHtml } from './html-loader';

const paragraph = (sentence: string) => `<p>${sentence.repeat(6)}</p>`;

const PAGE = `<!doctype html><html lang="en"><head><title>Webhooks | Acme Docs</title>
<meta name="author" content="Ada Lovelace"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/pricing">Pricing plans</a></li></ul></nav>
<header><p>Acme developer portal</p></header>
<main><article>
<h1>Verifying webhooks</h1>
${paragraph('Every webhook carries a signature header computed with your signing secret. ')}
<h2>Rotating the secret</h2>
${paragraph('Rotate the signing secret from the dashboard; both secrets stay valid for a day. ')}
<pre><code>const ok = verify(body, header);
return ok;</code></pre>
</article></main>
<aside>Related: Billing, Teams, Status page</aside>
<footer><p>Copyright Acme Corporation. Privacy. Terms.</p></footer>
<script>console.log("tracking")</script>
</body></html>`;

describe('loadHtml', () => {
  it('keeps the article and drops navigation, header, sidebar, footer and scripts', async () => {
    const [document] = await loadHtml({ id: 'webhooks.html', content: PAGE });
    expect(document!.format).toBe('markdown');
    expect(document!.text).toContain('signature header computed with your signing secret');
    expect(document!.text).toMatch(/^#+ Rotating the secret$/m);
    expect(document!.text).toContain('const ok = verify(body, header);\nreturn ok;');
    for (const furniture of ['Pricing plans', 'developer portal', 'Related:', 'Copyright', 'tracking']) {
      expect(document!.text).not.toContain(furniture);
    }
    expect(document!.title).toContain('Webhooks');
    expect(document!.metadata).toMatchObject({ author: 'Ada Lovelace', lang: 'en' });
  });

  it('falls back to the body without navigation when there is no article', async () => {
    const [document] = await loadHtml({
      id: 'tiny.html',
      content:
        '<html><body><nav>Menu Home About</nav><p>Short note.</p><footer>Footer text</footer></body></html>',
    });
    expect(document!.text).toBe('Short note.');
    expect(document!.title).toBe('tiny');
  });

  it('fails a page with no text, naming the file', async () => {
    await expect(
      loadHtml({ id: 'blank.html', content: '<html><body><nav>Menu</nav></body></html>' }),
    ).rejects.toThrow(/Cannot load blank\.html/);
  });
});
