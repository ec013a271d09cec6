export * from './content';
export * from './plan';
export * from './senders';
export * from './deliverer';
