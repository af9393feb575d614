// Lambda extracts the function's layers to /opt. Its Node.js runtimes look
// for an ES module's imports in the NODE_PATH folders too, and
// /opt/nodejs/node_modules is one of them: import the layer's package by name.
import { formatLine, formatPrice } from 'shop-format';

export const handler = async (event) => {
  const currency = event.currency ?? 'USD';
  const items = event.items ?? [];
  const totalCents = items.reduce((sum, item) => sum + item.quantity * item.priceCents, 0);

  return {
    currency,
    lines: items.map((item) => formatLine(item, currency)),
    total: formatPrice(totalCents, currency),
  };
};
