import json


# The handler setting "lambda_function.lambda_handler" points here:
# the file lambda_function.py and the function lambda_handler in it.
def lambda_handler(event, context):
    print("event", json.dumps(event))
    print("aws_request_id", context.aws_request_id)
    print("function_name", context.function_name)
    print("memory_limit_in_mb", context.memory_limit_in_mb)
    print("remaining ms", context.get_remaining_time_in_millis())

    name = event.get("name", "world")
    body = {
        "greeting": f"Hello, {name}!",
        # memory_limit_in_mb is a string such as "128": make it a number.
        "memoryMb": int(context.memory_limit_in_mb),
    }
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(body),
    }
