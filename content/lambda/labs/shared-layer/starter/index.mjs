// Lambda extracts the function's layers to /opt. The shop-format layer (the
// second tab) holds the formatting helpers that all the shop's functions share.

export const handler = async (event) => {
  const currency = event.currency ?? 'USD';
  const items = event.items ?? [];
  const totalCents = items.reduce((sum, item) => sum + item.quantity * item.priceCents, 0);

  // Exercise: this home-made formatting prints "1234.5 USD". Use the layer's
  // formatLine and formatPrice instead, so every function formats alike.
  return {
    currency,
    lines: items.map((item) => `${item.quantity} x ${item.name}`),
    total: `${totalCents / 100} ${currency}`,
  };
};
