export * from './parsed-report';
export * from './parse-report';
export { parseJunit } from './junit/parse-junit';
export { writeJunit } from './junit/write-junit';
export { parseJestJson } from './jest-json/parse-jest-json';
export { parseNodeTest, NODE_TEST_REPORTER } from './node-test/parse-node-test';
export { parseScenarioReport } from './scenario/parse-scenario';
