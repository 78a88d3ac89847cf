namespace AutoDiff.Models;

/// <summary>The activation functions of a <see cref="MultilayerPerceptron"/>'s layers.</summary>
public enum Activation
{
    /// <summary>f(z) = z.</summary>
    Identity = Losses.Identity,

    /// <summary>f(z) = 1 / (1 + e⁻ᶻ).</summary>
    Sigmoid = Losses.Sigmoid,

    /// <summary>f(z) = tanh z.</summary>
    Tanh = Losses.Tanh,

    /// <summary>f(z) = max(z, 0), with derivative 0 at 0.</summary>
    Relu = Losses.Relu,

    /// <summary>f(z) = 1.7159 · tanh(2z/3), LeCun's symmetric sigmoid (OpenCV's default for its MLP).</summary>
    SymmetricSigmoid = Losses.SymmetricSigmoid,
}

/// <summary>What a <see cref="MultilayerPerceptron"/>'s output layer computes and is trained against.</summary>
public enum OutputLoss
{
    /// <summary>Softmax probabilities, trained with cross-entropy against the class labels.</summary>
    SoftmaxCrossEntropy = Losses.SoftmaxCrossEntropy,

    /// <summary>The activation applied to the outputs, trained with ½‖t − y‖² against one-hot targets.</summary>
    SquaredError = Losses.SquaredError,
}
