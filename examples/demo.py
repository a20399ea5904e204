"""Train a DCGAN on the handwritten digits that ship with scikit-learn.

Writes, under --out (default `demo_out/`):
  samples.png            a grid of 64 generated digits
  training_curves.png    discriminator and generator losses per epoch
  dcgan_digits.keras     the trained model (architecture, weights, optimizers)
  saved_model/<v>/       the generator as a SavedModel for TF Serving

Nothing is downloaded. Run with `make demo` (again: `make demo OVERWRITE=1`),
or:

    python examples/demo.py --out demo_out --epochs 60 [--overwrite]

On a terminal it shows Keras' progress bar; otherwise (a log file, CI) it
prints one line per epoch.
"""

import argparse
import os
import sys
import time


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="demo_out", help="output folder")
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--image-size", type=int, default=16,
                        help="digits are resized from 8x8 to this size")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--width", type=int, default=32, help="network width")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace a model already saved in --out")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    model_path = os.path.join(args.out, "dcgan_digits.keras")
    if os.path.exists(model_path) and not args.overwrite:
        print(f"error: {model_path} already exists; run `make demo OVERWRITE=1` "
              "(or pass --overwrite) to replace it, or --out to write elsewhere.",
              file=sys.stderr)
        return 2
    os.makedirs(args.out, exist_ok=True)

    import keras

    import keras_gans
    from keras_gans import datasets, images
    from keras_gans.plotting import plot_history

    keras.utils.set_random_seed(args.seed)
    size = (args.image_size, args.image_size)
    x = datasets.load_digits(image_size=size, split="train")
    print(f"keras {keras.__version__} on {keras.backend.backend()}; "
          f"{len(x)} training digits at {size[0]}x{size[1]}")

    gan = keras_gans.DCGAN(image_shape=size + (1,), latent_dim=64, width=args.width,
                           seed=args.seed)
    gan.compile()  # Adam(2e-4, beta_1=0.5) per phase, non-saturating loss
    start = time.time()
    if sys.stdout.isatty():
        history = gan.fit(x, batch_size=args.batch_size, epochs=args.epochs, verbose=1)
    else:  # a log: one line per epoch, no progress bar
        def one_line(epoch, logs):
            values = " ".join(f"{k}={v:.4f}" for k, v in sorted(logs.items()))
            print(f"epoch {epoch + 1}/{args.epochs}: {values}", flush=True)

        history = gan.fit(
            x, batch_size=args.batch_size, epochs=args.epochs, verbose=0,
            callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=one_line)],
        )
    elapsed = time.time() - start

    grid = images.save_grid(gan.generate(64, seed=args.seed),
                            os.path.join(args.out, "samples.png"))
    curves = plot_history(history, os.path.join(args.out, "training_curves.png"))
    from keras_gans import files

    with files.atomic_path(model_path) as tmp:
        gan.save(tmp)
    saved_model = gan.export(
        os.path.join(args.out, "saved_model"), version=1, overwrite=args.overwrite
    )
    written = {"samples": grid, "curves": curves, "model": model_path,
               "saved_model": saved_model}
    print(f"\ntrained {args.epochs} epochs in {elapsed:.0f} s")
    for what, path in written.items():
        print(f"{what:>12}: {os.path.abspath(str(path))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
