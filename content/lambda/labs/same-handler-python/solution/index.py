# Counts the prime numbers below event["limit"] with a sieve of Eratosthenes.
# The trial division loop ran every step in the Python interpreter; here the
# heavy work is done by bytearray's built-in operations, which run in C.
import os


def handler(event, context):
    limit = int(event.get("limit", 50000))
    if limit < 3:
        return {"runtime": os.environ.get("AWS_EXECUTION_ENV"), "limit": limit, "count": 0, "largest": None}
    # is_prime[n] is 1 while n may be prime, 0 once a divisor is found.
    is_prime = bytearray([1]) * limit
    is_prime[0] = is_prime[1] = 0
    n = 2
    while n * n < limit:
        if is_prime[n]:
            # One slice assignment crosses out every multiple from n * n on.
            is_prime[n * n :: n] = bytes(len(range(n * n, limit, n)))
        n += 1
    count = is_prime.count(1)
    largest = is_prime.rindex(1)
    # AWS_EXECUTION_ENV names the runtime, e.g. AWS_Lambda_python3.11.
    return {"runtime": os.environ.get("AWS_EXECUTION_ENV"), "limit": limit, "count": count, "largest": largest}
