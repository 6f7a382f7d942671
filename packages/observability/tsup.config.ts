import { packageBuild } from '../../tsup.shared';

export default packageBuild({
  index: 'src/index.ts',
  'opentelemetry/index': 'src/opentelemetry/index.ts',
  'sentry/index': 'src/sentry/index.ts',
  'redis/index': 'src/redis/index.ts',
  'upstash/index': 'src/upstash/index.ts',
  'testing/index': 'src/testing/index.ts',
  'cli/check': 'src/cli/check.ts',
});
