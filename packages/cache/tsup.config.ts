import { packageBuild } from '../../tsup.shared';

export default packageBuild({
  index: 'src/index.ts',
  'testing/index': 'src/testing/index.ts',
  'memory/index': 'src/in-memory/index.ts',
  'redis/index': 'src/redis/index.ts',
  'upstash/index': 'src/upstash/index.ts',
  'ai-sdk/index': 'src/ai-sdk/index.ts',
});
