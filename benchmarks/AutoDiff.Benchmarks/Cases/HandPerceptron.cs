using System.Numerics.Tensors;

namespace AutoDiff.Benchmarks.Cases;

/// <summary>
/// Hand-written backpropagation for a one-hidden-layer ReLU perceptron with softmax cross-entropy, with the parameter
/// layout of the runtime's <see cref="AutoDiff.Models.Losses.PerceptronSample"/> (per layer: fanOut rows of fanIn
/// weights, then fanOut biases). Sample by sample, like the generated pullback, with SIMD dot products and
/// multiply-adds, buffers held by the instance (nothing allocated per call), and rows whose ReLU is off skipped.
/// </summary>
public sealed class HandPerceptron
{
    private readonly int inputs, hidden, outputs;
    private readonly double[] h, o, dH;

    public HandPerceptron(int inputs, int hidden, int outputs)
    {
        this.inputs = inputs;
        this.hidden = hidden;
        this.outputs = outputs;
        h = new double[hidden];
        o = new double[outputs];
        dH = new double[hidden];
    }

    /// <summary>
    /// Σ over the batch of seed · loss(sample); adds seed · ∂loss/∂parameters into <paramref name="gradient"/>
    /// (accumulates, as a pullback does).
    /// </summary>
    public double Backward(double[] parameters, double[] features, int[] labels, int[] batch, double seed, Span<double> gradient)
    {
        int w1 = 0, b1 = hidden * inputs, w2 = b1 + hidden, b2 = w2 + outputs * hidden;
        var p = parameters.AsSpan();
        double total = 0;
        foreach (int sample in batch)
        {
            var x = new ReadOnlySpan<double>(features, sample * inputs, inputs);
            for (int j = 0; j < hidden; j++)
            {
                double z = p[b1 + j] + TensorPrimitives.Dot(p.Slice(w1 + j * inputs, inputs), x);
                h[j] = z > 0 ? z : 0;
            }
            for (int k = 0; k < outputs; k++) o[k] = p[b2 + k] + TensorPrimitives.Dot(p.Slice(w2 + k * hidden, hidden), h);
            int label = labels[sample];
            double largest = TensorPrimitives.Max<double>(o);
            double sum = 0;
            for (int k = 0; k < outputs; k++) sum += Math.Exp(o[k] - largest);
            double lse = largest + Math.Log(sum);
            total += lse - o[label];

            // Output layer: ∂/∂o = softmax(o) − onehot(label).
            Array.Clear(dH);
            for (int k = 0; k < outputs; k++)
            {
                double d = seed * (Math.Exp(o[k] - lse) - (k == label ? 1 : 0));
                gradient[b2 + k] += d;
                TensorPrimitives.MultiplyAdd(h, d, gradient.Slice(w2 + k * hidden, hidden), gradient.Slice(w2 + k * hidden, hidden));
                TensorPrimitives.MultiplyAdd(p.Slice(w2 + k * hidden, hidden), d, dH, dH);
            }
            // Hidden layer: through the ReLU; rows whose unit is off get nothing.
            for (int j = 0; j < hidden; j++)
            {
                if (h[j] <= 0) continue;
                double d = dH[j];
                gradient[b1 + j] += d;
                var row = gradient.Slice(w1 + j * inputs, inputs);
                TensorPrimitives.MultiplyAdd(x, d, row, row);
            }
        }
        return seed * total;
    }
}
