export * from './action-history-store-conformance';
export * from './consent-store-conformance';
export * from './conversation-store-conformance';
export * from './expect-rejection';
