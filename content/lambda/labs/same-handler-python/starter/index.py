# Counts the prime numbers below event["limit"] by trial division: a small job
# that keeps the CPU busy. The Node.js lab runs exactly the same algorithm,
# so the two runtimes return the same numbers and you can compare the time.
import os


def is_prime(n):
    if n < 2:
        return False
    divisor = 2
    while divisor * divisor <= n:
        if n % divisor == 0:
            return False
        divisor += 1
    return True


def handler(event, context):
    # Exercise: count the primes below 10,000,000 within the 10 s timeout.
    limit = int(event.get("limit", 50000))
    count = 0
    largest = None
    for n in range(2, limit):
        if is_prime(n):
            count += 1
            largest = n
    # AWS_EXECUTION_ENV names the runtime, e.g. AWS_Lambda_python3.11.
    return {"runtime": os.environ.get("AWS_EXECUTION_ENV"), "limit": limit, "count": count, "largest": largest}
