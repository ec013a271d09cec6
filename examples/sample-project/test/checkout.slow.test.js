const { describe, it } = require('node:test');
const assert = require('node:assert');
const { Cart } = require('../src/cart');
const { applyDiscount } = require('../src/pricing');

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

describe('checkout', () => {
  it('prices a full cart', async () => {
    await pause(400);
    const c = new Cart();
    for (let i = 0; i < 100; i++) c.add(`sku-${i}`, 1.25);
    assert.strictEqual(applyDiscount(c.subtotal, 20), 100);
  });
  it('prices an empty cart', async () => {
    await pause(300);
    assert.strictEqual(applyDiscount(new Cart().subtotal, 20), 0);
  });
});
