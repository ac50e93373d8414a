using System;

namespace NeuralNet.Gen;

/// <summary>
/// A 1-D convolution over a sequence, as PyTorch's <c>nn.Conv1d</c> on (steps, features) rows: output step t of filter f is
/// bias[f] + Σ_c Σ_j weight[f, c, j]·x[t·stride + j·dilation − pad, c]. Parameters weight [filters, features, kernelSize]
/// then bias [filters].
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv1DAttribute : LayerAttribute
{
    /// <summary>Creates a 1-D convolution layer.</summary>
    public Conv1DAttribute(int filters, int kernelSize, Activation activation = Activation.Linear) { Filters = filters; KernelSize = kernelSize; Activation = activation; }

    /// <summary>Number of output values per step.</summary>
    public int Filters { get; }
    /// <summary>Taps of the kernel.</summary>
    public int KernelSize { get; }
    /// <summary>Activation after the convolution.</summary>
    public Activation Activation { get; }
    /// <summary>Steps between kernel positions.</summary>
    public int Stride { get; set; } = 1;
    /// <summary>Border handling: Valid, Same (as Keras), or Causal (zeros before the sequence, so step t sees only steps up to t).</summary>
    public Padding Padding { get; set; } = Padding.Valid;
    /// <summary>Steps between the kernel's taps.</summary>
    public int Dilation { get; set; } = 1;
    /// <summary>Weight initialiser; by default He for the ReLU family, Glorot otherwise.</summary>
    public WeightInit WeightInit { get; set; }
    /// <summary>Whether the layer has a bias (PyTorch's <c>bias=True</c>).</summary>
    public bool UseBias { get; set; } = true;
}
