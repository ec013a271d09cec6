const { it } = require('node:test');
const assert = require('node:assert');

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

it('reserves stock', async () => {
  await pause(500);
  const stock = new Map([['apple', 3]]);
  stock.set('apple', stock.get('apple') - 1);
  assert.strictEqual(stock.get('apple'), 2);
});
