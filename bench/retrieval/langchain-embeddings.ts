import { Embeddings } from '@langchain/core/embeddings';
import type { Embedder } from '@neptune/core';

/** A Neptune embedder (here the offline one) as a LangChain `Embeddings`, so LangChain sees the same vectors. */
export class NeptuneEmbeddings extends Embeddings {
  constructor(private readonly embedder: Embedder) {
    super({});
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const vectors = await this.embedder.embed(texts, { purpose: 'document' });
    return vectors.map((vector) => Array.from(vector));
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embedder.embed([text], { purpose: 'query' });
    return Array.from(vector!);
  }
}
