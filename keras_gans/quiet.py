"""Keep TensorFlow's (and XLA's, JAX's) start-up chatter out of a command's output.

Importing TensorFlow prints, from C++ and before its logging flags are
read, lines such as `WARNING: All log messages before absl::InitializeLog()
is called...`, `I0000 ... cudart_stub.cc] Could not find cuda drivers` and,
on a machine without a GPU, `E0000 ... failed call to cuInit: INTERNAL:
CUDA error`. They read as failures to a newcomer, and no environment
variable silences the first ones (they come before TensorFlow reads
`TF_CPP_MIN_LOG_LEVEL`). `QuietStartup` sets the log-level variables for
what comes later and filters file descriptor 2 for the rest: start-up and
missing-GPU lines are dropped, every other line (errors, warnings,
tracebacks) passes through in order. `keras-gans` and `examples/demo.py`
run inside it, on every backend.

Example:

```python
from keras_gans.quiet import QuietStartup

with QuietStartup():
    import keras          # TensorFlow's start-up lines are dropped
    ...                   # anything else written to stderr still shows
```
"""

import os
import sys
import threading

#: Environment defaults set before TensorFlow is imported: no INFO lines
#: from TensorFlow's C++ logging once it is initialised (warnings and
#: errors still show, and the filter below drops the missing-GPU ones).
ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "1"}

#: Start-up lines: log-initialisation notices, INFO lines, the CPU-feature
#: notice.
_CHATTER_PREFIXES = (
    "WARNING: All log messages before absl::InitializeLog()",
    "I0000 ",
    "To enable the following instructions",
)
#: Words of the missing-GPU messages that read as errors on a CPU machine.
_GPU_WORDS = ("cuda", "cuinit", "cudnn", "cufft", "cublas", "tensorrt", "gpu will not be used")
#: JAX's one-line notice that it falls back to the CPU, and Grappler's
#: notice that it skipped one graph rewrite (the step runs unchanged).
_JAX_NOTICES = ("a CUDA-enabled jaxlib is not installed",)
_GRAPPLER_NOTICES = ("meta_optimizer.cc",)


def is_chatter(line):
    """Whether one stderr line is start-up chatter (dropped) or a message (kept).

    Example:

    >>> is_chatter("E0000 00:00:1 7 cuda_platform.cc:52] failed call to cuInit: x")
    True
    >>> is_chatter("keras-gans: error: no model file at 'x.keras'.")
    False
    """
    if line.startswith(_CHATTER_PREFIXES):
        return True
    if any(notice in line for notice in _JAX_NOTICES):
        return True
    if line.startswith(("E0000 ", "W0000 ")) and "remapper failed" in line and any(
            notice in line for notice in _GRAPPLER_NOTICES):
        return True
    return line.startswith(("E0000 ", "W0000 ")) and any(
        word in line.lower() for word in _GPU_WORDS)


def set_environment():
    """Set `ENVIRONMENT`'s variables unless the user set them already.

    Only matters before TensorFlow is imported.

    Example:

    >>> set_environment()
    >>> os.environ["TF_CPP_MIN_LOG_LEVEL"]  # '1' unless you chose another level
    '1'
    """
    for key, value in ENVIRONMENT.items():
        os.environ.setdefault(key, value)


class QuietStartup:
    """Filter TensorFlow's start-up chatter out of file descriptor 2.

    TensorFlow writes it from C++, below Python's `sys.stderr`; so the
    descriptor is pointed at a pipe whose reader thread passes every other
    line on to the real stderr. Entering also calls `set_environment()`.
    Where stderr has no real descriptor (captured by a test runner) it
    only sets the environment.

    Example:

    ```python
    with QuietStartup():
        import tensorflow  # its start-up lines are dropped
    ```
    """

    def __enter__(self):
        set_environment()
        try:
            sys.stderr.flush()
            self._saved = os.dup(2)
        except (OSError, ValueError):  # no real descriptor (e.g. captured)
            self._saved = None
            return self
        read_end, write_end = os.pipe()
        os.dup2(write_end, 2)
        os.close(write_end)

        def pump(read_end=read_end, out=self._saved):
            with os.fdopen(read_end, "rb") as pipe:
                for raw in pipe:
                    line = raw.decode("utf-8", "replace")
                    if not is_chatter(line):
                        os.write(out, raw)

        self._thread = threading.Thread(target=pump, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        if self._saved is None:
            return False
        try:
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        os.dup2(self._saved, 2)  # closes the pipe's last write end
        self._thread.join(timeout=5)
        os.close(self._saved)
        return False
