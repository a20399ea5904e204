"""How well do the class-conditional GANs and the VAE-GAN learn the digits?

Conditional GANs: a logistic-regression classifier trained on the real 8x8
training digits (test accuracy printed) labels generated samples; the figure
is the fraction that it assigns to the requested class (10% = chance).
VAE-GAN: mean squared pixel error of held-out (test split) reconstructions,
at initialisation and after training.

    KERAS_BACKEND=tensorflow python benchmarks/conditional_digits.py \
        --conditioning projection --epochs 60 --batch-size 32 \
        --out benchmarks/results_conditional_digits.jsonl --grid cgan.png
    KERAS_BACKEND=tensorflow python benchmarks/conditional_digits.py \
        --model vae_gan --epochs 30 --lr 1e-3 --width 16 --latent-dim 16 \
        --batch-size 32 --out benchmarks/results_conditional_digits.jsonl --grid vae_gan.png
"""

import argparse
import json
import time

import numpy as np


def digits_classifier(x_train, y_train):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(max_iter=2000)
    clf.fit(x_train.reshape(len(x_train), -1), y_train)
    return clf


def label_accuracy(model, clf, per_class=100, seed=0):
    labels = np.repeat(np.arange(model.num_classes), per_class)
    images = model.generate(labels=labels, seed=seed)
    predicted = clf.predict(images.reshape(len(images), -1))
    return float(np.mean(predicted == labels))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="conditional_gan",
                        choices=["conditional_gan", "acgan", "vae_gan"])
    parser.add_argument("--conditioning", default="concat")
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--latent-dim", type=int, default=32)
    parser.add_argument("--width", type=int, default=32)
    parser.add_argument("--gamma", type=float, default=1.0)
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--eval-every", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="append the result as a JSON line here")
    parser.add_argument("--grid", help="save a PNG grid of samples here")
    args = parser.parse_args()

    import keras

    import keras_gans
    from keras_gans import datasets

    keras.utils.set_random_seed(args.seed)
    (x, y) = datasets.load_digits(with_labels=True, split="train")
    (x_test, y_test) = datasets.load_digits(with_labels=True, split="test")
    opt = lambda: keras.optimizers.Adam(args.lr, beta_1=0.5)  # noqa: E731
    results = {"model": args.model, "backend": keras.backend.backend(),
               "epochs": args.epochs, "args": vars(args)}
    start = time.time()
    if args.model == "vae_gan":
        model = keras_gans.VAEGAN(image_shape=(8, 8, 1), latent_dim=args.latent_dim,
                                  width=args.width, seed=args.seed)
        model.compile(e_optimizer=opt(), g_optimizer=opt(), d_optimizer=opt(),
                      gamma=args.gamma)
        before = float(np.mean((model.reconstruct(x_test) - x_test) ** 2))
        curve = []
        done = 0
        while done < args.epochs:
            n = min(args.eval_every, args.epochs - done)
            model.fit(x, batch_size=args.batch_size, epochs=n, verbose=0)
            done += n
            err = float(np.mean((model.reconstruct(x_test) - x_test) ** 2))
            curve.append((done, err))
            print(f"epoch {done}: test reconstruction MSE {err:.4f}", flush=True)
        results.update(mse_init=before, mse_curve=curve,
                       mse_mean_image=float(np.mean((x_test - x.mean(0)) ** 2)))
    else:
        clf = digits_classifier(x, y)
        results["classifier_test_accuracy"] = float(
            clf.score(x_test.reshape(len(x_test), -1), y_test))
        kwargs = dict(image_shape=(8, 8, 1), num_classes=10,
                      latent_dim=args.latent_dim, width=args.width, seed=args.seed)
        if args.model == "conditional_gan":
            kwargs["conditioning"] = args.conditioning
            model = keras_gans.ConditionalGAN(**kwargs)
        else:
            model = keras_gans.ACGAN(**kwargs)
        model.compile(d_optimizer=opt(), g_optimizer=opt())
        results["label_accuracy_init"] = label_accuracy(model, clf)
        curve = []
        done = 0
        while done < args.epochs:
            n = min(args.eval_every, args.epochs - done)
            model.fit((x, y), batch_size=args.batch_size, epochs=n, verbose=0)
            done += n
            acc = label_accuracy(model, clf)
            curve.append((done, acc))
            print(f"epoch {done}: label accuracy {acc:.3f}", flush=True)
        results["label_accuracy_curve"] = curve
    results["seconds"] = round(time.time() - start, 1)
    if args.grid:
        from keras_gans import images

        if args.model == "vae_gan":
            pairs = np.concatenate(
                [x_test[:50], model.reconstruct(x_test[:50])], axis=0)
            images.save_grid(pairs, args.grid, ncols=10)
        else:  # ten columns: one row per latent vector, one column per class
            images.save_grid(model.generate(100, seed=1), args.grid, ncols=10)
    line = json.dumps(results)
    print(line)
    if args.out:
        with open(args.out, "a") as f:
            f.write(line + "\n")


if __name__ == "__main__":
    main()
