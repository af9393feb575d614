"""Lambda's paths for a runtime started without a sandbox (RUNNER_SANDBOX=none).

In the bubblewrap sandbox, /tmp is the environment's own tmpfs, the code is at
/var/task and the layers at /opt. A plain process sees the host's filesystem,
and without namespaces (macOS, Linux without bubblewrap) nothing can mount
folders there. So the runner gives each environment host folders for those
paths and passes the map in _COURSE_UNSANDBOXED_PATHS; this module makes the
learner's code see them at Lambda's paths where it names them:
  - open() and the path-taking functions of os (and so os.path, shutil,
    pathlib and tempfile, which call them) map /tmp, /var/task, /opt and
    /var/runtime to the host folders;
  - a sys.path entry under /opt or /var/task imports from the host folder;
  - PYTHONPATH, LAMBDA_TASK_ROOT and TMPDIR read as on Lambda once Python has
    used the host values to start.
What it cannot reach (child processes, C extensions such as sqlite3 opening a
path themselves) is listed in docs/decisions/011-unsandboxed-parity.md.
"""

import builtins
import importlib.machinery
import io
import json
import os
import posixpath
import sys

PATHS_VARIABLE = "_COURSE_UNSANDBOXED_PATHS"

# [(lambda_folder, host_folder)]
_mapping = []


def _inside(path, folder):
    return path == folder or path.startswith(folder + "/")


def to_host(path):
    """The host path of a Lambda path, or the path unchanged.

    A path already inside a host folder is left alone: on Linux the host
    folders themselves live under the host's /tmp, which must not be mapped a
    second time.
    """
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if not isinstance(path, str) or not path.startswith("/"):
        return path
    normal = posixpath.normpath(path)
    if any(_inside(normal, host) for _, host in _mapping):
        return path
    for lambda_folder, host in _mapping:
        if _inside(normal, lambda_folder):
            return host + normal[len(lambda_folder):]
    return path


def to_lambda(path):
    """The Lambda path of a host path (what realpath and mkdtemp return), or the path unchanged."""
    if not isinstance(path, str):
        return path
    for lambda_folder, host in _mapping:
        if _inside(path, host):
            return lambda_folder + path[len(host):]
    return path


# os functions whose first argument is a path; the second too for the others.
_ONE_PATH = [
    "access", "chmod", "chown", "lchown", "listdir", "lstat", "mkdir", "open", "readlink",
    "remove", "rmdir", "scandir", "stat", "truncate", "unlink", "utime", "chdir",
    "statvfs", "getxattr", "listxattr", "removexattr", "setxattr", "mkfifo",
]
_TWO_PATHS = ["link", "rename", "replace", "symlink"]


def _wrap(module, name, count):
    original = getattr(module, name, None)
    if original is None:
        return

    def wrapped(*args, **kwargs):
        args = [to_host(arg) if index < count else arg for index, arg in enumerate(args)]
        for key in ("path", "src", "dst"):
            if key in kwargs:
                kwargs[key] = to_host(kwargs[key])
        return original(*args, **kwargs)

    wrapped.__name__ = original.__name__
    wrapped.__doc__ = original.__doc__
    setattr(module, name, wrapped)


def _patch_os_and_open():
    for name in _ONE_PATH:
        _wrap(os, name, 1)
    for name in _TWO_PATHS:
        _wrap(os, name, 2)
    _wrap(builtins, "open", 1)
    io.open = builtins.open
    # The same names, returning Lambda's paths.
    realpath = os.path.realpath
    os.path.realpath = lambda path, *args, **kwargs: to_lambda(realpath(to_host(path), *args, **kwargs))
    getcwd = os.getcwd
    os.getcwd = lambda: to_lambda(getcwd())


def _path_hook(path):
    """Imports from a sys.path entry at a Lambda path, e.g. sys.path.append('/opt/python/lib')."""
    host = to_host(path)
    if host == path:
        raise ImportError("not a Lambda path")
    return importlib.machinery.FileFinder.path_hook(*_loader_details())(host)


def _loader_details():
    return (
        (importlib.machinery.ExtensionFileLoader, importlib.machinery.EXTENSION_SUFFIXES),
        (importlib.machinery.SourceFileLoader, importlib.machinery.SOURCE_SUFFIXES),
        (importlib.machinery.SourcelessFileLoader, importlib.machinery.BYTECODE_SUFFIXES),
    )


def install():
    """Installs the mapping when the runner started this process unsandboxed; a no-op in the sandbox."""
    setting = os.environ.pop(PATHS_VARIABLE, None)
    if setting is None:
        return
    config = json.loads(setting)
    _mapping[:] = list(config.get("paths", {}).items())
    _patch_os_and_open()
    sys.path_hooks.insert(0, _path_hook)
    sys.path_importer_cache.clear()
    # Lambda's values, now that Python has used the host ones to build sys.path (None: unset on Lambda).
    for name, value in config.get("environment", {}).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
