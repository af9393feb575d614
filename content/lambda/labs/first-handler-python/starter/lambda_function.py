import json


# The handler setting "lambda_function.lambda_handler" points here:
# the file lambda_function.py and the function lambda_handler in it.
def lambda_handler(event, context):
    print("event", json.dumps(event))
    print("aws_request_id", context.aws_request_id)
    print("function_name", context.function_name)
    print("memory_limit_in_mb", context.memory_limit_in_mb)
    print("remaining ms", context.get_remaining_time_in_millis())

    # Exercise: return an API Gateway-style response instead of this dict.
    return {"message": f"Hello from Python, {event.get('name', 'world')}"}
