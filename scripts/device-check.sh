#!/usr/bin/env bash
# The device check: on a machine with an NVIDIA GPU, runs the GPU tests on CUDA, the GPU training sample (logistic
# regression, softmax regression on MNIST, and the MNIST MLP), then the batched-gradient throughput benchmark (binary
# logistic regression, softmax regression and the MNIST MLP 784-128-10; CPU path vs GPU path, float and double, batch sizes
# 256 to 65,536). About 3 minutes once restored; the output format is documented in README.md ("GPU kernels").
#
#   bash scripts/device-check.sh          CUDA (fails when no CUDA device is present: it never falls back silently)
#   bash scripts/device-check.sh --cpu    ILGPU's CPU accelerator, with a shorter benchmark (for machines without a GPU)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

accelerator=cuda
benchmark_flags=()
case "${1:-}" in
    "") ;;
    --cpu) accelerator=cpu; benchmark_flags=(--cpu --quick) ;;
    *) echo "usage: $0 [--cpu]" >&2; exit 2 ;;
esac

echo "DEVICE-CHECK accelerator=$accelerator"
if [ "$accelerator" = cuda ] && command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | sed 's/^/DEVICE-CHECK gpu=/'
fi

dotnet build -c Release tests/AutoDiff.Gpu.Tests/AutoDiff.Gpu.Tests.csproj -v q -nologo
dotnet build -c Release samples/GpuTraining/GpuTraining.csproj -v q -nologo

# The GPU tests, on the chosen accelerator (TestDevice reads AUTODIFF_TEST_ACCELERATOR).
set +e
AUTODIFF_TEST_ACCELERATOR=$accelerator dotnet test tests/AutoDiff.Gpu.Tests/AutoDiff.Gpu.Tests.csproj -c Release --no-build \
    --logger "console;verbosity=normal" 2>&1 | tee /tmp/autodiff-device-check-tests.log | grep -E "^\s*(Passed|Failed)!|\[FAIL\]"
tests=${PIPESTATUS[0]}
set -e
echo "DEVICE-CHECK tests=$([ "$tests" -eq 0 ] && echo passed || echo failed) log=/tmp/autodiff-device-check-tests.log"

# Training on the accelerator (the sample's own target: 95% test accuracy), in double and float.
if [ "$accelerator" = cuda ]; then
    dotnet run -c Release --no-build --project samples/GpuTraining | grep -E "^(accelerator|RESULT)"
    dotnet run -c Release --no-build --project samples/GpuTraining -- --precision single | grep -E "^RESULT"
    # Softmax regression on MNIST (10 classes) by GpuMultinomialLogistic (target 88%).
    dotnet run -c Release --no-build --project samples/GpuTraining -- --softmax | grep -E "^RESULT"
    dotnet run -c Release --no-build --project samples/GpuTraining -- --softmax --precision single | grep -E "^RESULT"
    # The MNIST MLP (784-128-10) trained on the device by GpuPerceptron, the MNIST sample's settings (target 95%).
    dotnet run -c Release --no-build --project samples/GpuTraining -- --mlp | grep -E "^(epoch|RESULT)"
    dotnet run -c Release --no-build --project samples/GpuTraining -- --mlp --precision single | grep -E "^RESULT"
else
    dotnet run -c Release --no-build --project samples/GpuTraining -- --cpu | grep -E "^(accelerator|RESULT)"
    dotnet run -c Release --no-build --project samples/GpuTraining -- --softmax --cpu | grep -E "^RESULT"
fi

# The throughput benchmark: BENCH lines, then a table.
dotnet run -c Release --no-build --project samples/GpuTraining -- --benchmark "${benchmark_flags[@]}"

if [ "$tests" -ne 0 ]; then
    echo "DEVICE-CHECK result=failed (tests)" >&2
    exit 1
fi
echo "DEVICE-CHECK result=passed"
