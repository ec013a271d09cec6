const { describe, it } = require('node:test');
const assert = require('node:assert');
const { Cart } = require('../src/cart');

describe('Cart', () => {
  it('starts empty', () => {
    assert.strictEqual(new Cart().count, 0);
  });
  it('adds items and sums them', () => {
    const c = new Cart();
    c.add('apple', 0.5, 4);
    c.add('pear', 0.75);
    assert.strictEqual(c.count, 5);
    assert.strictEqual(c.subtotal, 2.75);
  });
  it('merges the same sku', () => {
    const c = new Cart();
    c.add('apple', 0.5);
    c.add('apple', 0.5, 2);
    assert.strictEqual(c.items.size, 1);
    assert.strictEqual(c.count, 3);
  });
  it('refuses a zero quantity', () => {
    assert.throws(() => new Cart().add('apple', 0.5, 0), RangeError);
  });
  it('removes an item', () => {
    const c = new Cart();
    c.add('apple', 0.5);
    c.remove('apple');
    assert.strictEqual(c.count, 0);
  });
});
