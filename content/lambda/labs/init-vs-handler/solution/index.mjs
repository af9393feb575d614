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

// Init code: runs once per execution environment, during INIT.
const TABLE_NAME = process.env.TABLE_NAME;
if (!TABLE_NAME) throw new Error('TABLE_NAME is not set: add it to the function\'s environment variables.');
const client = new OrdersClient(TABLE_NAME);

// Handler code: runs on every invocation and reuses the client.
export const handler = async (event) => {
  const order = await client.getOrder(event.orderId ?? '1001');
  return { order };
};
