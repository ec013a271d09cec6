const { describe, it } = require('node:test');
const assert = require('node:assert');
const { withTax } = require('../src/pricing');

describe('withTax', () => {
  it('adds the rate', () => assert.strictEqual(withTax(100, 0.2), 120));
  it('rounds to the nearest cent', () => assert.strictEqual(withTax(19.99, 0.08), 21.59));
});
