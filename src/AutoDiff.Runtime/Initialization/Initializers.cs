using System;

namespace AutoDiff.Initialization;

/// <summary>
/// Random initial weights for layers. Every method draws from the <see cref="Random"/> it is given, in a fixed order,
/// so a seeded <c>new Random(seed)</c> gives the same weights on every run and every .NET version (seeded
/// <see cref="Random"/> instances use one documented algorithm). Weight matrices are row-major
/// [inputs × neurons]: <c>weights[k * neurons + j]</c> connects input k to neuron j, the layout of a product x·W.
/// </summary>
public static class Initializers
{
    /// <summary>
    /// Glorot (Xavier) initialisation (Glorot and Bengio, 2010): variance 2 / (fanIn + fanOut). Uniform: U(−a, a) with
    /// a = √(6 / (fanIn + fanOut)), the paper's choice and the default. Normal: N(0, 2 / (fanIn + fanOut)), not
    /// truncated (PyTorch's <c>xavier_normal_</c>).
    /// </summary>
    /// <param name="weights">Filled with the weights.</param>
    /// <param name="fanIn">The number of inputs of each neuron (&gt; 0).</param>
    /// <param name="fanOut">The number of neurons (outputs) of the layer (&gt; 0).</param>
    /// <param name="random">The source of randomness.</param>
    /// <param name="uniform">Draw from the uniform distribution (true) or the normal one.</param>
    public static void Glorot(Span<double> weights, int fanIn, int fanOut, Random random, bool uniform = true)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckFan(fanIn, nameof(fanIn));
        CheckFan(fanOut, nameof(fanOut));
        double variance = 2.0 / ((double)fanIn + fanOut);
        Fill(weights, variance, random, uniform);
    }

    /// <summary>
    /// He (Kaiming) initialisation (He et al., 2015) for layers followed by ReLU: variance 2 / fanIn. Normal:
    /// N(0, 2 / fanIn), the paper's choice and the default (PyTorch's <c>kaiming_normal_</c> with
    /// <c>mode = fan_in</c>). Uniform: U(−a, a) with a = √(6 / fanIn) (<c>kaiming_uniform_</c>).
    /// </summary>
    /// <param name="weights">Filled with the weights.</param>
    /// <param name="fanIn">The number of inputs of each neuron (&gt; 0).</param>
    /// <param name="random">The source of randomness.</param>
    /// <param name="uniform">Draw from the uniform distribution (true) or the normal one (false).</param>
    public static void He(Span<double> weights, int fanIn, Random random, bool uniform = false)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckFan(fanIn, nameof(fanIn));
        Fill(weights, 2.0 / fanIn, random, uniform);
    }

    /// <summary>
    /// Nguyen–Widrow initialisation of a hidden layer as OpenCV's <c>ANN_MLP</c> does it (its <c>init_weights</c>),
    /// which differs from the 1990 paper.
    /// </summary>
    /// <remarks>
    /// For each neuron j in turn, <paramref name="inputs"/> + 1 values are drawn from U(−1, 1): the input weights
    /// w₀ⱼ … w₍inputs−1₎ⱼ, then the bias bⱼ. The input weights are divided by s = Σₖ|wₖⱼ|, so each neuron's input
    /// weights have L1 norm 1; the bias becomes bⱼ / s · G · (−1 + 2j / neurons), with
    /// G = 0.7 · inputs^(1 / (neurons − 1)) when neurons &gt; 2 and G = 1 otherwise. The biases are thus spread
    /// linearly over [−G, G] across the neurons (so that their active regions tile the input range), with a random
    /// sign and magnitude. The paper instead scales each neuron's weight vector to Euclidean norm 0.7·neurons^(1/inputs)
    /// and draws biases from U(−G, G). OpenCV applies this to hidden layers only and draws the output layer from
    /// U(−1, 1); use this method for hidden layers.
    /// </remarks>
    /// <param name="weights">Filled with the input weights, row-major [inputs × neurons] (length inputs·neurons).</param>
    /// <param name="biases">Filled with the biases (length neurons).</param>
    /// <param name="inputs">The number of inputs of the layer (&gt; 0).</param>
    /// <param name="neurons">The number of neurons of the layer (&gt; 0).</param>
    /// <param name="random">The source of randomness.</param>
    public static void NguyenWidrow(Span<double> weights, Span<double> biases, int inputs, int neurons, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckFan(inputs, nameof(inputs));
        CheckFan(neurons, nameof(neurons));
        if (weights.Length != (long)inputs * neurons)
            throw new ArgumentException($"Expected {(long)inputs * neurons} weights (inputs × neurons), got {weights.Length}.", nameof(weights));
        if (biases.Length != neurons)
            throw new ArgumentException($"Expected {neurons} biases, got {biases.Length}.", nameof(biases));

        double gain = neurons > 2 ? 0.7 * Math.Pow(inputs, 1.0 / (neurons - 1)) : 1.0;
        for (int j = 0; j < neurons; j++)
        {
            double sum = 0;
            for (int k = 0; k < inputs; k++)
            {
                double w = random.NextDouble() * 2 - 1;
                weights[k * neurons + j] = w;
                sum += Math.Abs(w);
            }
            double bias = random.NextDouble() * 2 - 1;
            double scale = sum > 0 ? 1 / sum : 1;
            for (int k = 0; k < inputs; k++)
                weights[k * neurons + j] *= scale;
            biases[j] = bias * scale * gain * (-1 + j * 2.0 / neurons);
        }
    }

    private static void CheckFan(int value, string name)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(name, value, "Must be at least 1.");
    }

    private static void Fill(Span<double> weights, double variance, Random random, bool uniform)
    {
        if (uniform)
        {
            double limit = Math.Sqrt(3 * variance);
            for (int i = 0; i < weights.Length; i++)
                weights[i] = (random.NextDouble() * 2 - 1) * limit;
        }
        else
        {
            double sigma = Math.Sqrt(variance);
            for (int i = 0; i < weights.Length; i += 2)
            {
                // Box–Muller: two independent standard normals from two uniforms; 1 − u lies in (0, 1].
                double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
                double angle = 2 * Math.PI * random.NextDouble();
                weights[i] = sigma * radius * Math.Cos(angle);
                if (i + 1 < weights.Length)
                    weights[i + 1] = sigma * radius * Math.Sin(angle);
            }
        }
    }
}
