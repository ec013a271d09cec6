// `npm test`: every project's specs in one Jest run, with one summary line CI can read.
module.exports = {
  projects: ['<rootDir>/libs/*/jest.config.js', '<rootDir>/apps/*/jest.config.js'],
  reporters: [
    '<rootDir>/libs/testing/progress-reporter.js',
    'summary',
    '<rootDir>/libs/testing/summary-reporter.js',
  ],
};
