using System;
using System.Linq;
using AutoDiff.Generator.IR;
using Xunit;
using Box = AutoDiff.Generator.Tests.Differentiation.IrInterpreter.Box;

namespace AutoDiff.Generator.Tests.Differentiation;

/// <summary>Checks an IR pullback against central finite differences of the IR method it came from.</summary>
internal static class IrGradientCheck
{
    public enum Outcome
    {
        Checked,

        /// <summary>Finite differences at two step sizes disagree: the point is near a kink or branch switch.</summary>
        NotSmooth,
    }

    /// <summary>Runs the pullback with seed 1 and returns the value and the gradient (one entry per differentiable parameter).</summary>
    public static (double Value, double[] Gradient) RunPullback(IrInterpreter interpreter, IrMethod method, IrMethod backward, double[] point, double seed = 1)
    {
        var differentiable = method.Parameters.Where(p => p.IsDifferentiable).ToList();
        var adjoints = differentiable.Select(_ => new Box(0)).ToArray();
        var arguments = point.Select(v => new Box(v)).Append(new Box(seed)).Concat(adjoints).ToArray();
        double value = interpreter.Invoke(backward, arguments);
        return (value, adjoints.Select(a => a.Value).ToArray());
    }

    public static Outcome Check(IrInterpreter interpreter, IrMethod method, IrMethod backward, double[] point, double tolerance = 1e-6)
    {
        var (value, gradient) = RunPullback(interpreter, method, backward, point);
        double primal = interpreter.Invoke(method, point);
        Assert.True(value.Equals(primal), $"{backward.Name} returned {value}, but {method.Name} returns {primal} at ({string.Join(", ", point)}).");

        int k = 0;
        for (int i = 0; i < point.Length; i++)
        {
            if (!method.Parameters[i].IsDifferentiable) continue;
            double h = 1e-5 * Math.Max(1, Math.Abs(point[i]));
            double fd = CentralDifference(interpreter, method, point, i, h);
            double fdFine = CentralDifference(interpreter, method, point, i, h / 8);
            double scale = Math.Max(1, Math.Max(Math.Abs(fd), Math.Abs(gradient[k])));
            if (Math.Abs(fd - fdFine) > 1e-4 * scale) return Outcome.NotSmooth;
            Assert.True(Math.Abs(gradient[k] - fd) <= tolerance * scale,
                $"∂{method.Name}/∂{method.Parameters[i].Name} at ({string.Join(", ", point)}): pullback {gradient[k]:R}, central difference {fd:R}.");
            k++;
        }
        return Outcome.Checked;
    }

    private static double CentralDifference(IrInterpreter interpreter, IrMethod method, double[] point, int index, double h)
    {
        var plus = (double[])point.Clone();
        var minus = (double[])point.Clone();
        plus[index] += h;
        minus[index] -= h;
        return (interpreter.Invoke(method, plus) - interpreter.Invoke(method, minus)) / (2 * h);
    }
}
