import { memoryMetricsStore } from '@neptune/observability';
import { describeMetricsStoreContract } from '@neptune/observability/testing';

// The suite as a third-party adapter imports it, through the package's public `/testing` entry.
describeMetricsStoreContract({
  name: 'memory, through @neptune/observability/testing',
  create: () => memoryMetricsStore(),
});
