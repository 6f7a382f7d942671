import { describeBadInputConformance } from '@neptune/core/testing';
import { afterAll } from 'vitest';
import * as observability from '../src/index';
import * as opentelemetry from '../src/opentelemetry/index';
import * as redis from '../src/redis/index';
import * as sentry from '../src/sentry/index';

// Without REDIS_URL a metrics store given no URL must say what is missing, not connect somewhere.
const saved = { REDIS_URL: process.env.REDIS_URL, NEPTUNE_METRICS_TOKEN: process.env.NEPTUNE_METRICS_TOKEN };
delete process.env.REDIS_URL;
delete process.env.NEPTUNE_METRICS_TOKEN;
afterAll(() => Object.assign(process.env, saved));

describeBadInputConformance({ name: '@neptune/observability', exports: observability });
describeBadInputConformance({ name: '@neptune/observability/opentelemetry', exports: opentelemetry });
describeBadInputConformance({ name: '@neptune/observability/redis', exports: redis });
describeBadInputConformance({ name: '@neptune/observability/sentry', exports: sentry });
