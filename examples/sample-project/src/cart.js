class Cart {
  constructor() {
    this.items = new Map();
  }
  add(sku, price, quantity = 1) {
    if (!Number.isInteger(quantity) || quantity < 1)
      throw new RangeError('quantity must be a positive integer');
    const item = this.items.get(sku) ?? { price, quantity: 0 };
    item.quantity += quantity;
    this.items.set(sku, item);
  }
  remove(sku) {
    this.items.delete(sku);
  }
  get count() {
    let n = 0;
    for (const i of this.items.values()) n += i.quantity;
    return n;
  }
  get subtotal() {
    let total = 0;
    for (const i of this.items.values()) total += i.price * i.quantity;
    return Math.round(total * 100) / 100;
  }
}
module.exports = { Cart };
