import { validateScope } from '@neptune/core';
import { createTokenizer } from '@neptune/core/tokenizer';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const scope = validateScope({ workspaceId: 'acme', userId: 'ana' });
  const tokenizer = await createTokenizer({ encoding: 'cl100k_base' });
  return (
    <main>
      <h1>Neptune pack-install check</h1>
      <p id="scope">{`scope ${scope.workspaceId}/${scope.userId}`}</p>
      <p id="tokens">{`tokens ${tokenizer.count('Hello world')}`}</p>
    </main>
  );
}
