using System.Collections.Generic;
using AutoDiff.Data;
using AutoDiff.Models;
using AutoDiff.Optimization;
using AutoDiff.Training;
using Xunit;

namespace AutoDiff.Gpu.Tests;

/// <summary>Checks that a device model agrees with the runtime's CPU path, shared by the binary and softmax tests.</summary>
internal static class Agreement
{
    /// <summary>
    /// A device objective and its H·v at <paramref name="w"/> against <see cref="LogisticRegression.Objective"/> and
    /// <see cref="LogisticRegression.HessianVector"/> on the same data and penalty.
    /// </summary>
    public static void MatchesLogisticRegression(Dataset data, double l2, double[] w, double[] v, ValueAndGradient objective, HessianVectorProduct hessianVector)
    {
        var expected = new double[w.Length];
        double expectedValue = LogisticRegression.Objective(data, l2)(w, expected);
        var actual = new double[w.Length];
        double value = objective(w, actual);
        Assert.Equal(expectedValue, value, TestDevice.Tolerance(1e-12) * expectedValue);
        Assert.True(TestData.RelativeError(actual, expected) < 1e-9, $"gradient: relative error {TestData.RelativeError(actual, expected):E2}");

        var expectedHv = new double[w.Length];
        LogisticRegression.HessianVector(data, l2)(w, v, expectedHv);
        var hv = new double[w.Length];
        hessianVector(w, v, hv);
        Assert.True(TestData.RelativeError(hv, expectedHv) < 1e-9, $"H·v: relative error {TestData.RelativeError(hv, expectedHv):E2}");
    }

    /// <summary>
    /// A training run on the device against the CPU trainer's from the same seed: the parameters, and each epoch's training
    /// and validation losses within <paramref name="tolerance"/> (and the same validation accuracies when <paramref name="sameAccuracy"/>).
    /// </summary>
    public static void SameRun(double[] expected, TrainingHistory expectedHistory, double[] parameters, IReadOnlyList<EpochReport> reports, int epochs,
        double tolerance, bool sameAccuracy)
    {
        Assert.Equal(epochs, reports.Count);
        double error = TestData.RelativeError(parameters, expected);
        Assert.True(error < tolerance, $"parameters: relative error {error:E2}");
        for (int e = 0; e < reports.Count; e++)
        {
            Assert.Equal(expectedHistory.Epochs[e].TrainingLoss, reports[e].TrainingLoss, tolerance * expectedHistory.Epochs[e].TrainingLoss);
            Assert.Equal(expectedHistory.Epochs[e].ValidationLoss, reports[e].ValidationLoss, tolerance * expectedHistory.Epochs[e].ValidationLoss);
            if (sameAccuracy) Assert.Equal(expectedHistory.Epochs[e].ValidationAccuracy, reports[e].ValidationAccuracy);
        }
    }
}
