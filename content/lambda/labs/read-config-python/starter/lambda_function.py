import json

# Exercise: read these two settings from the function's environment variables
# instead: TABLE_NAME (always set) and LOG_LEVEL ("info" when it is not set).
TABLE_NAME = "orders-dev"
LOG_LEVEL = "info"


def lambda_handler(event, context):
    if LOG_LEVEL == "debug":
        print("DEBUG event", json.dumps(event))
    order_id = event.get("orderId")
    print(f"looking up order {order_id} in {TABLE_NAME}")
    return {"table": TABLE_NAME, "logLevel": LOG_LEVEL, "orderId": order_id}
