const { describe, it } = require('node:test');
const assert = require('node:assert');
const { applyDiscount } = require('../src/pricing');

describe('applyDiscount', () => {
  it('takes a percentage off', () => assert.strictEqual(applyDiscount(100, 10), 90));
  it('caps the discount at 50 %', () => assert.strictEqual(applyDiscount(100, 80), 50));
  it('keeps cents', () => assert.strictEqual(applyDiscount(9.99, 10), 8.99));
});
