// OrdersClient stands in for a database client such as the AWS SDK's DynamoDB
// client (this sandbox has neither the SDK nor a network). Creating it is slow
// on purpose, as with a real client that loads code, reads its configuration
// and opens connections before it can send a single request.
class OrdersClient {
  constructor(tableName) {
    console.log(`creating client for table ${tableName}`);
    const readyAt = Date.now() + 150;
    while (Date.now() < readyAt) {
      // About 150 ms of set-up work.
    }
    this.tableName = tableName;
  }

  async getOrder(orderId) {
    return { orderId, status: 'shipped', table: this.tableName };
  }
}

export const handler = async (event) => {
  // Exercise: this runs on every invocation. Create the client once, outside
  // the handler, and take the table name from the TABLE_NAME variable.
  const client = new OrdersClient('orders-dev');
  const order = await client.getOrder(event.orderId ?? '1001');
  return { order };
};
