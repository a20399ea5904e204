"""The callbacks of a run with an output folder: checkpoints and a step limit."""

import os
import sys

from keras_gans.runs.common import (
    STATE_FILE,
    write_json,
)


def _checkpointer(folder, steps_per_epoch, every, start_step, earlier_seconds=0.0):
    """A callback saving model + optimizer state and the run position.

    The state file also holds the seconds spent in `fit()` so far, over
    every session of the run (`earlier_seconds` from the checkpoint a
    resumed run started at, plus this session's, saving left out), so a run
    resumed across days still reports its whole training time.
    """
    import time

    import keras

    from keras_gans import files

    class Checkpointer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.step = start_step
            self.last_saved = start_step
            self.began, self.paused = None, 0.0

        def on_train_begin(self, logs=None):
            if self.began is None:  # a run may call fit() twice
                self.began = time.time()

        def train_seconds(self):
            """Seconds in fit() over the whole run, as of now."""
            now = time.time()
            return earlier_seconds + now - (self.began or now) - self.paused

        def on_train_batch_end(self, batch, logs=None):
            self.step += 1
            if every and self.step - self.last_saved >= every:
                self.save()

        def on_epoch_end(self, epoch, logs=None):
            if self.step != self.last_saved:
                self.save()

        def save(self):
            from keras_gans import backend as gan_backend

            saving_began, seconds = time.time(), self.train_seconds()
            # JAX keeps the training state outside the model during fit().
            gan_backend.sync_state(self.model)
            os.makedirs(folder, exist_ok=True)
            name = f"step_{self.step:09d}.keras"
            with files.atomic_path(os.path.join(folder, name)) as tmp:
                self.model.save(tmp)
            epoch, done = divmod(self.step, steps_per_epoch)
            # The state file names the model file: replacing it is the
            # atomic moment the checkpoint moves forward.
            write_json(
                os.path.join(folder, STATE_FILE),
                {"step": self.step, "epoch": epoch, "batch": done, "model": name,
                 "train_seconds": seconds},
            )
            for old in os.listdir(folder):
                if old.endswith(".keras") and old != name:
                    os.remove(os.path.join(folder, old))
            self.last_saved = self.step
            self.paused += time.time() - saving_began

    return Checkpointer()


def _stopper(stop_after):
    """Testing aid: end the process abruptly after a number of steps.

    Simulates a run killed mid-epoch (no checkpoint, no clean-up).
    """
    import keras

    class Kill(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seen = 0

        def on_train_batch_end(self, batch, logs=None):
            self.seen += 1
            if self.seen >= stop_after:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(75)

    return Kill()


