import { packageBuild } from '../../tsup.shared';

export default packageBuild({
  index: 'src/index.ts',
  'drizzle/index': 'src/drizzle/index.ts',
  'testing/index': 'src/testing/index.ts',
});
