export * from './conformance';
export * from './datasets';
export * from './mock-chat-model';
export * from './mock-embedder';
export * from './services';
