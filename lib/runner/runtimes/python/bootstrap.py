"""The runtime client for python3.11, run inside the sandbox as
`python3.11 -u -B /var/runtime/bootstrap.py`.

It plays the part of Lambda's Python runtime interface client (awslambdaric):
it imports the function's module (INIT), then serves one invocation at a time.
It speaks the same protocol as runtimes/node/bootstrap.mjs: newline-delimited
JSON over file descriptor 3, never over stdout, which belongs to the learner.

Runner -> runtime: {"type":"invoke","requestId","event","deadline","nonce",
                    "invokedFunctionArn","clientContext","identity"}
Runtime -> runner: {"type":"ready"} | {"type":"init-error","error"} |
                   {"type":"result","requestId","payload"} |
                   {"type":"error","requestId","error","fatal"}
Before each answer the runtime writes the nonce on its own line to stdout and
to stderr, so the runner knows it has read all of the invocation's output.

Where this file copies a behaviour of the real runtime (message texts, which
frames a stack trace keeps, when an exit is left alone), the comment says so:
learners compare what they see here with what Lambda shows them.
"""

import base64
import decimal
import importlib
import json
import logging
import os
import socket
import sys
import time
import traceback

import unsandboxed_paths

CONTROL_FD = 3
# Lambda's limit on a synchronous response; the runner refuses control
# messages much larger than this.
MAX_RESPONSE_BYTES = 6 * 1024 * 1024
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", "/var/task")
THIS_FILE = os.path.abspath(__file__)

# The invocation being served; the logging filter reads it. Lambda leaves it
# set after an invocation ends, so a background thread's late log line still
# carries the last request id; during INIT there is none and the field is empty.
current_request_id = None


# --- The control channel -----------------------------------------------------

class ControlChannel:
    """Newline-delimited JSON over the socket the runner passed as fd 3."""

    def __init__(self, fd):
        # Move the channel off fd 3 to a descriptor that is not inherited, so a
        # program the learner starts (os.system, os.exec*) cannot write answers
        # in the runtime's name.
        private_fd = os.dup(fd)
        os.close(fd)
        self._socket = socket.socket(fileno=private_fd)
        # The runner's end of the pair may have been made non-blocking; this
        # process wants plain blocking reads between invocations.
        self._socket.setblocking(True)
        self._reader = self._socket.makefile("rb")

    def send(self, message):
        # sendall loops over partial writes, which a result of several
        # megabytes will cause on a socket.
        # ensure_ascii=False: escaping every non-ASCII character would triple
        # the size of a response in, say, emoji, past the runner's line limit.
        self._socket.sendall((json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8"))

    def receive(self):
        """The next message, or None once the runner has closed its end."""
        while True:
            line = self._reader.readline()
            if not line:
                return None
            if line.strip():
                return json.loads(line)

    def wait_for_close(self, timeout_seconds):
        """Blocks until the runner closes the channel (it kills us) or the time is up."""
        self._socket.settimeout(timeout_seconds)
        try:
            while self._socket.recv(4096):
                pass
        except OSError:
            pass


# --- Output -------------------------------------------------------------------

def write_fd(fd, data):
    # os.write may write less than asked on a pipe; loop until all is out.
    view = memoryview(data)
    while view:
        try:
            written = os.write(fd, view)
        except InterruptedError:
            continue
        view = view[written:]


def flush_std_streams():
    # The learner may have replaced sys.stdout; flush both the current streams
    # and the originals so nothing written before the marker arrives after it.
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except Exception:
            pass


def end_of_output(nonce):
    """Tells the runner it has all of this invocation's output."""
    flush_std_streams()
    marker = ("\n" + nonce + "\n").encode("utf-8")
    # Straight to the descriptors the runner reads, whatever sys.stdout is now.
    write_fd(1, marker)
    write_fd(2, marker)


def log_to_stdout(text):
    # Like Lambda's log sink: everything the runtime logs goes to stdout (the
    # stream in sys.stdout at the time), so it interleaves with print() in order.
    sys.stdout.write(text)
    sys.stdout.flush()


def log_error(error):
    """Prints an error as Lambda's Python runtime does, before reporting it."""
    # awslambdaric's log_error: "[ERROR] Type: message", then the traceback.
    description = "[ERROR]"
    if error.get("errorType"):
        description += " " + error["errorType"]
    if error.get("errorMessage"):
        if error.get("errorType"):
            description += ":"
        description += " " + error["errorMessage"]
    lines = [description]
    stack_trace = error.get("stackTrace")
    if stack_trace:
        lines.append("Traceback (most recent call last):")
        for element in stack_trace:
            lines.extend(element.splitlines() or [""])
    log_to_stdout("\n".join(lines) + "\n")


class LambdaLoggerHandler(logging.Handler):
    def emit(self, record):
        try:
            log_to_stdout(self.format(record) + "\n")
        except Exception:
            self.handleError(record)


class RequestIdFilter(logging.Filter):
    # A filter, not a LoggerAdapter, so the learner's own formatters can use
    # %(aws_request_id)s too, as on Lambda.
    def filter(self, record):
        record.aws_request_id = current_request_id or ""
        return True


def configure_logging():
    # Lambda's text log format. The root level stays WARNING (Python's
    # default), so logger.info() prints nothing until the function lowers it.
    # With a handler already on the root, the learner's logging.basicConfig()
    # does nothing, which surprises people on Lambda too.
    formatter = logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s",
        "%Y-%m-%dT%H:%M:%S",
    )
    formatter.converter = time.gmtime  # the trailing Z promises UTC
    handler = LambdaLoggerHandler()
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)


# --- Errors -------------------------------------------------------------------

class FaultException(Exception):
    """A failure of the runtime's own making, reported with a Runtime.* type."""

    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"

    def __init__(self, error_type, message, stack_trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.stack_trace = stack_trace or []


def make_error(message, error_type, stack_trace, request_id):
    return {
        "errorMessage": message or "",
        "errorType": error_type or "",
        "requestId": request_id or "",
        "stackTrace": stack_trace or [],
    }


def safe_str(value):
    try:
        return str(value)
    except Exception:
        return "<unprintable %s object>" % type(value).__name__


def user_stack_trace(tb):
    """The traceback's frames from the learner's code on, formatted as Lambda does."""
    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    # Lambda drops the runtime's own frames at the top: the trace starts in
    # the learner's file.
    while frames and os.path.abspath(frames[0][0]) == THIS_FILE:
        frames.pop(0)
    # Plain tuples, not FrameSummary objects: they carry no column positions,
    # so Python 3.11 prints no ^^^^ lines, matching Lambda's stackTrace.
    return traceback.format_list(frames)


def fault_result(error, request_id):
    if isinstance(error, FaultException):
        return make_error(error.message, error.error_type, error.stack_trace, request_id)
    return make_error(safe_str(error), type(error).__name__, user_stack_trace(error.__traceback__), request_id)


# --- INIT -----------------------------------------------------------------------

def load_handler(handler_setting):
    """Imports the module named by _HANDLER and returns its handler function.

    Message texts are awslambdaric's, word for word.
    """
    try:
        module_name, function_name = handler_setting.rsplit(".", 1)
    except ValueError as error:
        raise FaultException(FaultException.MALFORMED_HANDLER_NAME, "Bad handler '%s': %s" % (handler_setting, error))

    try:
        if module_name.split(".")[0] in sys.builtin_module_names:
            raise FaultException(
                FaultException.BUILT_IN_MODULE_CONFLICT,
                "Cannot use built-in module %s as a handler module" % module_name,
            )
        # "dir/module" is a path below the task root; importlib wants dots.
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as error:
        # Also when the module itself imports something missing: Lambda reports
        # that under the handler's module name too.
        raise FaultException(
            FaultException.IMPORT_MODULE_ERROR,
            "Unable to import module '%s': %s" % (module_name, error),
        )
    except SyntaxError as error:
        trace = ['  File "%s" Line %s\n    %s' % (error.filename, error.lineno, (error.text or "").strip())]
        raise FaultException(
            FaultException.USER_CODE_SYNTAX_ERROR,
            "Syntax error in module '%s': %s" % (module_name, error),
            trace,
        )

    handler = getattr(module, function_name, None)
    # Lambda only notices a missing handler at the first invocation; this
    # runner reports it during INIT, where the runner expects it.
    if handler is None:
        raise FaultException(
            FaultException.HANDLER_NOT_FOUND,
            "Handler '%s' missing on module '%s'" % (function_name, module_name),
        )
    return handler


# --- The context object ----------------------------------------------------------

class CognitoIdentity:
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client:
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext:
    __slots__ = ["custom", "env", "client"]


def object_from_dict(cls, values):
    if values is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, values.get(field) if isinstance(values, dict) else None)
    return obj


def parse_json_object(value):
    """Client context arrives as an object, as JSON text, or base64 JSON as in the Invoke API."""
    if value is None or isinstance(value, dict):
        return value
    if isinstance(value, str):
        for decode in (lambda text: text, lambda text: base64.b64decode(text, validate=True).decode("utf-8")):
            try:
                parsed = json.loads(decode(value))
            except Exception:
                continue
            if isinstance(parsed, dict):
                return parsed
    return None


class LambdaContext:
    """The `context` argument, with the attributes and method of Lambda's."""

    def __init__(self, invoke):
        env = os.environ
        self.aws_request_id = invoke["requestId"]
        self.function_name = env.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = env.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoke.get("invokedFunctionArn")
        # A string, as on Lambda: the runtime passes the environment variable through.
        self.memory_limit_in_mb = env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = env.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = env.get("AWS_LAMBDA_LOG_STREAM_NAME")

        self.client_context = object_from_dict(ClientContext, parse_json_object(invoke.get("clientContext")))
        if self.client_context is not None:
            self.client_context.client = object_from_dict(Client, self.client_context.client)

        # Lambda always gives an identity object, its fields None without Cognito.
        self.identity = object_from_dict(CognitoIdentity, {})
        identity = parse_json_object(invoke.get("identity"))
        if identity is not None:
            self.identity.cognito_identity_id = identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = identity.get("cognitoIdentityPoolId")

        self._deadline_ms = invoke["deadline"]

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))

    def log(self, message):
        log_to_stdout(str(message))

    def __repr__(self):
        return (
            "LambdaContext([aws_request_id=%s,log_group_name=%s,log_stream_name=%s,function_name=%s,"
            "memory_limit_in_mb=%s,function_version=%s,invoked_function_arn=%s,client_context=%s,identity=%s])"
            % (
                self.aws_request_id,
                self.log_group_name,
                self.log_stream_name,
                self.function_name,
                self.memory_limit_in_mb,
                self.function_version,
                self.invoked_function_arn,
                self.client_context,
                self.identity,
            )
        )


# --- INVOKE -----------------------------------------------------------------------

def decimal_default(value):
    # DynamoDB hands out Decimals; Lambda's encoder writes them as numbers.
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


def marshal_response(result):
    if isinstance(result, (bytes, bytearray)):
        # Lambda returns bytes as the payload unchanged; this channel carries text.
        return bytes(result).decode("utf-8", "replace")
    try:
        return json.dumps(result, default=decimal_default, ensure_ascii=False)
    except Exception as error:
        raise FaultException(FaultException.MARSHAL_ERROR, "Unable to marshal response: %s" % error)


def unmarshal_event(text):
    try:
        return json.loads(text)
    except Exception as error:
        raise FaultException(FaultException.UNMARSHAL_ERROR, "Unable to unmarshal input: %s" % error)


def handle_invoke(control, handler, invoke):
    global current_request_id
    request_id = invoke["requestId"]
    current_request_id = request_id
    try:
        event = unmarshal_event(invoke["event"])
        context = LambdaContext(invoke)
        payload = marshal_response(handler(event, context))
    except Exception as error:
        # Only Exception: SystemExit and KeyboardInterrupt leave the loop and end
        # the process, as they do on Lambda, and the runner reports
        # Runtime.ExitError from the exit status.
        shape = fault_result(error, request_id)
        log_error(shape)
        end_of_output(invoke["nonce"])
        control.send({"type": "error", "requestId": request_id, "error": shape, "fatal": False})
        return
    end_of_output(invoke["nonce"])
    if len(payload.encode("utf-8")) > MAX_RESPONSE_BYTES:
        error = {
            "errorType": "Function.ResponseSizeTooLarge",
            "errorMessage": "Response payload size exceeded maximum allowed payload size (%d bytes)." % MAX_RESPONSE_BYTES,
        }
        control.send({"type": "error", "requestId": request_id, "error": error, "fatal": False})
        return
    control.send({"type": "result", "requestId": request_id, "payload": payload})


def use_utf8_stdio():
    # The runner decodes output as UTF-8; a learner's LANG must not turn print("é") into an error.
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream.encoding.lower().replace("-", "") != "utf8":
                stream.reconfigure(encoding="utf-8")
        except Exception:
            pass


def main():
    control = ControlChannel(CONTROL_FD)
    use_utf8_stdio()
    configure_logging()
    # Lambda puts the task root first, so the learner's modules win over
    # anything of the same name elsewhere on the path.
    sys.path.insert(0, TASK_ROOT)
    # Without a sandbox only: Lambda's /tmp, /opt and /var/task, mapped to this environment's folders.
    unsandboxed_paths.install()

    try:
        handler = load_handler(os.environ.get("_HANDLER", ""))
    except Exception as error:
        shape = fault_result(error, None)
        log_error(shape)
        flush_std_streams()
        control.send({"type": "init-error", "error": shape})
        # Exiting now would race the message: the runner might see the exit
        # first and report Runtime.ExitError instead. It kills the environment
        # as soon as it reads the message; wait for that, within reason.
        control.wait_for_close(5)
        sys.exit(1)

    control.send({"type": "ready"})
    while True:
        invoke = control.receive()
        if invoke is None:
            return
        if invoke.get("type") == "invoke":
            handle_invoke(control, handler, invoke)


# Guarded: /var/runtime is on PYTHONPATH, so a learner's `import bootstrap`
# must not start a second runtime.
if __name__ == "__main__":
    main()
