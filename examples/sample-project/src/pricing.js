/** Percentage discount, capped at 50 %. */
function applyDiscount(amount, percent) {
  const p = Math.min(percent, 50);
  return Math.round(amount * (1 - p / 100) * 100) / 100;
}

/** Tax on an amount. The bug: rounds down instead of to the nearest cent. */
function withTax(amount, rate) {
  return Math.floor(amount * (1 + rate) * 100) / 100;
}

module.exports = { applyDiscount, withTax };
