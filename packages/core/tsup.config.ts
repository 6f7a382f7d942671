import { packageBuild } from '../../tsup.shared';

export default packageBuild({
  index: 'src/index.ts',
  'tokenizer/index': 'src/tokenizer/index.ts',
  'openai/index': 'src/openai/index.ts',
  'offline/index': 'src/offline/index.ts',
  'ai-sdk/index': 'src/ai-sdk/index.ts',
  'postgres/index': 'src/postgres/index.ts',
  'testing/index': 'src/testing/index.ts',
});
