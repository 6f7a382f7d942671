import { describeBadInputConformance } from '@neptune/core/testing';
import * as observability from '../src/index';
import * as opentelemetry from '../src/opentelemetry/index';
import * as redis from '../src/redis/index';
import * as sentry from '../src/sentry/index';

// Unset, so that a factory given no URL says what is missing instead of connecting to the real service.
const unsetEnvironment = ['REDIS_URL', 'NEPTUNE_METRICS_TOKEN'];

describeBadInputConformance({ name: '@neptune/observability', exports: observability, unsetEnvironment });
describeBadInputConformance({
  name: '@neptune/observability/opentelemetry',
  exports: opentelemetry,
  unsetEnvironment,
});
describeBadInputConformance({ name: '@neptune/observability/redis', exports: redis, unsetEnvironment });
describeBadInputConformance({ name: '@neptune/observability/sentry', exports: sentry, unsetEnvironment });
