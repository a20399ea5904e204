"""The callbacks of a run with an output folder: checkpoints and a step limit."""

import os
import sys

from keras_gans.runs.common import (
    STATE_FILE,
    write_json,
)


def _checkpointer(folder, steps_per_epoch, every, start_step):
    """A callback saving model + optimizer state and the run position."""
    import keras

    from keras_gans import files

    class Checkpointer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.step = start_step
            self.last_saved = start_step

        def on_train_batch_end(self, batch, logs=None):
            self.step += 1
            if every and self.step - self.last_saved >= every:
                self.save()

        def on_epoch_end(self, epoch, logs=None):
            if self.step != self.last_saved:
                self.save()

        def save(self):
            from keras_gans import backend as gan_backend

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
                {"step": self.step, "epoch": epoch, "batch": done, "model": name},
            )
            for old in os.listdir(folder):
                if old.endswith(".keras") and old != name:
                    os.remove(os.path.join(folder, old))
            self.last_saved = self.step

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


