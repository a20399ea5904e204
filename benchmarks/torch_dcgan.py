"""A plain PyTorch DCGAN with the same architecture as keras_gans.nets' DCGAN.

The alternative a user would pick: nn.Modules, BCEWithLogitsLoss, two Adam
optimizers, the two-phase step written out (fresh noise for each phase, as
keras_gans draws it). Run by benchmarks/throughput.py and
benchmarks/train_step.py with the interpreter named by --torch-python or
$KERAS_GANS_TORCH_PYTHON:

    $KERAS_GANS_TORCH_PYTHON benchmarks/torch_dcgan.py --image-shape 28,28,1 \
        --batch-size 64 --threads 2

Prints one line `RESULT {json}` with seconds per step, images/s and the
peak resident memory of the process. With `--serve` it is a worker of
benchmarks/common.py's protocol instead (READY, then "run N" -> "DONE s",
"gemm" -> "GEMM flop/s"), so that train_step.py can alternate it round by
round with the TensorFlow variants; `--compile` wraps the networks in
`torch.compile`.
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time

import torch
from torch import nn


def upsamplings(h, w):
    steps = 2
    for k in (3, 4):
        if h % 2**k == 0 and w % 2**k == 0 and min(h, w) // 2**k >= 4:
            steps = k
    return steps


class Generator(nn.Module):
    def __init__(self, image_shape, latent_dim, width, kernel_size=4):
        super().__init__()
        h, w, c = image_shape
        steps = upsamplings(h, w)
        self.start = (h // 2**steps, w // 2**steps)
        channels = width * 2 ** (steps - 1)
        self.channels = channels
        self.project = nn.Sequential(
            nn.Linear(latent_dim, self.start[0] * self.start[1] * channels, bias=False),
            nn.BatchNorm1d(self.start[0] * self.start[1] * channels, eps=1e-3, momentum=0.01),
            nn.ReLU(),
        )
        layers = []
        pad = (kernel_size - 2) // 2
        for _ in range(steps - 1):
            layers += [
                nn.ConvTranspose2d(channels, channels // 2, kernel_size, 2, pad, bias=False),
                nn.BatchNorm2d(channels // 2, eps=1e-3, momentum=0.01),
                nn.ReLU(),
            ]
            channels //= 2
        layers += [nn.ConvTranspose2d(channels, c, kernel_size, 2, pad), nn.Tanh()]
        self.body = nn.Sequential(*layers)

    def forward(self, z):
        x = self.project(z).view(-1, self.channels, *self.start)
        return self.body(x)


class Discriminator(nn.Module):
    def __init__(self, image_shape, width, kernel_size=4):
        super().__init__()
        h, w, c = image_shape
        steps = upsamplings(h, w)
        layers, channels, inp = [], width, c
        pad = (kernel_size - 2) // 2
        for i in range(steps):
            layers.append(nn.Conv2d(inp, channels, kernel_size, 2, pad, bias=i == 0))
            if i > 0:
                layers.append(nn.BatchNorm2d(channels, eps=1e-3, momentum=0.01))
            layers.append(nn.LeakyReLU(0.2))
            inp, channels = channels, channels * 2
        layers.append(nn.Flatten())
        self.body = nn.Sequential(*layers)
        self.score = nn.Linear(inp * (h // 2**steps) * (w // 2**steps), 1)

    def forward(self, x):
        return self.score(self.body(x))


def gemm_rate(n=2048, repeats=5):
    """FLOP/s of a float32 n x n x n matrix product (best of `repeats`).

    Example:

    >>> gemm_rate(64, 1) > 0
    True
    """
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--image-shape", default="28,28,1")
    parser.add_argument("--latent-dim", type=int, default=100)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--serve", action="store_true",
                        help="be a worker of benchmarks/common.py's protocol")
    parser.add_argument("--compile", action="store_true",
                        help="torch.compile the generator and discriminator")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--phase", default=None,
                        choices=["g_forward", "d_phase", "g_phase", "adam"],
                        help="time one part of the step alone")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    h, w, c = (int(v) for v in args.image_shape.split(","))
    device = "cuda" if torch.cuda.is_available() else "cpu"
    generator = Generator((h, w, c), args.latent_dim, args.width).to(device)
    discriminator = Discriminator((h, w, c), args.width).to(device)
    n_params = {
        "generator": sum(t.numel() for t in generator.state_dict().values()
                         if t.dtype.is_floating_point),
        "discriminator": sum(t.numel() for t in discriminator.state_dict().values()
                             if t.dtype.is_floating_point),
    }
    if args.compile:
        generator_fn, discriminator_fn = torch.compile(generator), torch.compile(discriminator)
    else:
        generator_fn, discriminator_fn = generator, discriminator
    d_opt = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    g_opt = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    real = torch.rand(args.batch_size, c, h, w, device=device) * 2 - 1
    ones = torch.ones(args.batch_size, 1, device=device)
    zeros = torch.zeros(args.batch_size, 1, device=device)

    def d_phase():
        z = torch.randn(args.batch_size, args.latent_dim, device=device)
        with torch.no_grad():
            fake = generator_fn(z)
        d_opt.zero_grad(set_to_none=True)
        d_loss = bce(discriminator_fn(real), ones) + bce(discriminator_fn(fake), zeros)
        d_loss.backward()
        d_opt.step()

    def g_phase():
        z = torch.randn(args.batch_size, args.latent_dim, device=device)
        g_opt.zero_grad(set_to_none=True)
        g_loss = bce(discriminator_fn(generator_fn(z)), ones)
        g_loss.backward()
        g_opt.step()

    def step():
        d_phase()
        g_phase()

    def g_forward():
        # Training mode, no autograd graph: the D phase's generator pass.
        with torch.no_grad():
            generator_fn(torch.randn(args.batch_size, args.latent_dim, device=device))

    def adam():
        for opt, net in ((d_opt, discriminator), (g_opt, generator)):
            for p in net.parameters():
                p.grad = torch.zeros_like(p)
            opt.step()

    work = {None: step, "g_forward": g_forward, "d_phase": d_phase,
            "g_phase": g_phase, "adam": adam}[args.phase]

    def run(n):
        for _ in range(n):
            work()
        if device == "cuda":
            torch.cuda.synchronize()

    if args.serve:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import common

        run(args.warmup)
        common.serve(run, {"framework": "torch", "torch": torch.__version__,
                           "threads": torch.get_num_threads(), "device": device,
                           "compile": args.compile, "params": n_params,
                           "mkldnn": torch.backends.mkldnn.is_available()},
                     gemm=gemm_rate)
        return
    run(args.warmup)
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        run(args.steps)
        times.append((time.perf_counter() - start) / args.steps)
    seconds = statistics.median(times)
    print("RESULT " + json.dumps({
        "seconds_per_step": seconds,
        "images_per_second": args.batch_size / seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "device": device,
    }))


if __name__ == "__main__":
    main()
