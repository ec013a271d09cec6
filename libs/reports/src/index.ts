export * from './build-report';
export * from './render/html';
export * from './render/junit';
export * from './report-store';
