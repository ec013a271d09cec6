export * from './platform';
export * from './health-server';
export * from './run-until-signal';
export * from './run-service';
