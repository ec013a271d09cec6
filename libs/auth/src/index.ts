export * from './access-control';
export * from './secrets';
export * from './issue-key';
