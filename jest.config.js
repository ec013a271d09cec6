// `npm test`: every project's specs in one Jest run, with one summary line CI can read.
module.exports = {
  projects: ['<rootDir>/libs/*/jest.config.js', '<rootDir>/apps/*/jest.config.js'],
  // testTimeout is a global option: with projects, the preset's value does not apply.
  testTimeout: 30000,
  reporters: [
    '<rootDir>/libs/testing/progress-reporter.js',
    'summary',
    '<rootDir>/libs/testing/summary-reporter.js',
  ],
};
