export * from './git-checkouts';
