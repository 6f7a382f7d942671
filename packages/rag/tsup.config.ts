import { packageBuild } from '../../tsup.shared';

export default packageBuild({
  index: 'src/index.ts',
  'testing/index': 'src/testing/index.ts',
  'memory/index': 'src/in-memory/index.ts',
  'pgvector/index': 'src/pgvector/index.ts',
  'upstash-vector/index': 'src/upstash-vector/index.ts',
  'loaders/index': 'src/loaders/index.ts',
  'queue/index': 'src/queue/index.ts',
  'cli/eval': 'src/cli/eval.ts',
});
