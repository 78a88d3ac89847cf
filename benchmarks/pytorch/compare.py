#!/usr/bin/env python3
"""Optional: PyTorch on the CPU, side by side with AutoDiff's training benchmarks (issue 7).

Runs the same two jobs as AutoDiff's TrainingBenchmarks, on the same data, so that the two can be timed on one machine:

  1. the MNIST MLP, 784-128-10 ReLU, softmax cross-entropy, Adam 1e-3, batches of 64, one epoch over the 8,000 training
     images of samples/data's MNIST test set (float32 and float64), then the test accuracy on the other 2,000;
  2. the Theano tutorial's logistic regression: 400 x 784 N(0, 1) features, random 0/1 labels, N(0, 1) initial weights,
     10,000 steps of gradient descent (step 0.1, L2 0.01 on the weights), then the training accuracy.

PyTorch is not a dependency of the project: install it (Debian: `apt-get install python3-torch`, or pip) to run this.

    python3 benchmarks/pytorch/compare.py [--threads 2] [--repeats 3]

and compare with

    dotnet run -c Release --project benchmarks/AutoDiff.Benchmarks -- --quick --filter '*Training*'

The data are drawn differently from the C# benchmarks' (NumPy's generator, not .NET's Random), with the same shapes and
distributions, and the split is a seeded stratified 80/20 split like the runtime's, not the same images: compare times
per epoch and accuracies, not bits.
"""
import argparse
import gzip
import os
import struct
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "samples", "data"))


def load_mnist():
    with gzip.open(os.path.join(DATA, "mnist-t10k-images-idx3-ubyte.gz"), "rb") as f:
        magic, count, rows, columns = struct.unpack(">IIII", f.read(16))
        assert magic == 2051, "not an IDX image file"
        images = np.frombuffer(f.read(count * rows * columns), dtype=np.uint8).reshape(count, rows * columns)
    with gzip.open(os.path.join(DATA, "mnist-t10k-labels-idx1-ubyte.gz"), "rb") as f:
        magic, count = struct.unpack(">II", f.read(8))
        assert magic == 2049, "not an IDX label file"
        labels = np.frombuffer(f.read(count), dtype=np.uint8).astype(np.int64)
    return images.astype(np.float64) / 255.0, labels


def stratified_split(labels, test_fraction, seed):
    rng = np.random.default_rng(seed)
    train, test = [], []
    for c in np.unique(labels):
        indices = np.flatnonzero(labels == c)
        rng.shuffle(indices)
        n_test = int(round(len(indices) * test_fraction))
        test.extend(indices[:n_test])
        train.extend(indices[n_test:])
    return np.array(train), np.array(test)


def mnist_epoch(dtype, repeats):
    features, labels = load_mnist()
    train, test = stratified_split(labels, 0.2, seed=1)
    x_train = torch.tensor(features[train], dtype=dtype)
    y_train = torch.tensor(labels[train])
    x_test = torch.tensor(features[test], dtype=dtype)
    y_test = torch.tensor(labels[test])
    times, accuracy = [], 0.0
    for r in range(repeats + 1):  # the first run warms up
        torch.manual_seed(1)
        model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10)).to(dtype)
        for layer in model:
            if isinstance(layer, torch.nn.Linear):
                torch.nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
                torch.nn.init.zeros_(layer.bias)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_function = torch.nn.CrossEntropyLoss()
        order = torch.randperm(len(x_train), generator=torch.Generator().manual_seed(1))
        start = time.perf_counter()
        for i in range(0, len(order), 64):
            batch = order[i:i + 64]
            optimizer.zero_grad()
            loss = loss_function(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
        elapsed = time.perf_counter() - start
        if r > 0:
            times.append(elapsed)
        with torch.no_grad():
            accuracy = (model(x_test).argmax(1) == y_test).double().mean().item()
    return times, accuracy


def tutorial_logistic(dtype, steps, repeats):
    rng = np.random.default_rng(1234)
    rows, columns = 400, 784
    x = torch.tensor(rng.standard_normal((rows, columns)), dtype=dtype)
    y = torch.tensor(rng.integers(0, 2, rows), dtype=dtype)
    w0 = rng.standard_normal(columns)
    times, accuracy = [], 0.0
    for r in range(repeats + 1):
        w = torch.tensor(w0, dtype=dtype, requires_grad=True)
        b = torch.zeros((), dtype=dtype, requires_grad=True)
        start = time.perf_counter()
        for _ in range(steps):
            z = x @ w + b
            # The same loss as AutoDiff's BinaryLogistic: mean softplus(z) - y z, plus 0.01 * sum w^2.
            loss = (torch.nn.functional.softplus(z) - y * z).mean() + 0.01 * (w * w).sum()
            gw, gb = torch.autograd.grad(loss, (w, b))
            with torch.no_grad():
                w -= 0.1 * gw
                b -= 0.1 * gb
        elapsed = time.perf_counter() - start
        if r > 0:
            times.append(elapsed)
        with torch.no_grad():
            accuracy = (((x @ w + b) > 0).to(dtype) == y).double().mean().item()
    return times, accuracy


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--steps", type=int, default=10_000)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
    for dtype in (torch.float32, torch.float64):
        times, accuracy = mnist_epoch(dtype, args.repeats)
        print(f"MNIST MLP 784-128-10, 1 epoch, batch 64, Adam, {dtype}: mean {np.mean(times):.3f} s, min {np.min(times):.3f} s; test accuracy {accuracy:.2%}")
    for dtype in (torch.float32, torch.float64):
        times, accuracy = tutorial_logistic(dtype, args.steps, max(1, args.repeats - 2))
        print(f"Tutorial logistic regression 400x784, {args.steps:,} steps, {dtype}: mean {np.mean(times):.3f} s, min {np.min(times):.3f} s; training accuracy {accuracy:.2%}")


if __name__ == "__main__":
    main()
