import json
import os

# Read once, during INIT: the configuration cannot change while the
# environment lives. A missing TABLE_NAME fails INIT with a KeyError, loudly.
TABLE_NAME = os.environ["TABLE_NAME"]
LOG_LEVEL = os.environ.get("LOG_LEVEL", "info")


def lambda_handler(event, context):
    if LOG_LEVEL == "debug":
        print("DEBUG event", json.dumps(event))
    order_id = event.get("orderId")
    print(f"looking up order {order_id} in {TABLE_NAME}")
    return {"table": TABLE_NAME, "logLevel": LOG_LEVEL, "orderId": order_id}
