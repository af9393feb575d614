// Lambda extracts the function's layers to /opt. Node.js resolves an ES
// module's imports without NODE_PATH, so import the layer's package by its
// full path, which works wherever the layer is extracted to /opt.
import { formatLine, formatPrice } from '/opt/nodejs/node_modules/shop-format/index.js';

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
