using System;

namespace NeuralNet.Gen;

/// <summary>
/// An Elman recurrent layer over a sequence, as PyTorch's <c>nn.RNN</c>: h_t = activation(W_ih·x_t + b_ih + W_hh·h_(t-1) + b_hh),
/// the state zero at the start of every sequence. Parameters weight_ih [units, features], weight_hh [units, units], bias_ih, bias_hh.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SimpleRNNAttribute : LayerAttribute
{
    /// <summary>Creates a simple recurrent layer.</summary>
    public SimpleRNNAttribute(int units, Activation activation = Activation.Tanh) { Units = units; Activation = activation; }

    /// <summary>Size of the hidden state.</summary>
    public int Units { get; }
    /// <summary>Activation of the new state (PyTorch's nonlinearity).</summary>
    public Activation Activation { get; }
    /// <summary>True: every step's state (a sequence); false: the last step's (a vector).</summary>
    public bool ReturnSequences { get; set; }
}

/// <summary>
/// A gated recurrent unit over a sequence, as PyTorch's <c>nn.GRU</c>: gates r, z, n with
/// n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn)) and h' = (1 - z) ⊙ n + z ⊙ h. Parameters weight_ih [3·units, features],
/// weight_hh [3·units, units], bias_ih, bias_hh, gates in the order r, z, n.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GRUAttribute : LayerAttribute
{
    /// <summary>Creates a GRU layer.</summary>
    public GRUAttribute(int units) { Units = units; }

    /// <summary>Size of the hidden state.</summary>
    public int Units { get; }
    /// <summary>True: every step's state (a sequence); false: the last step's (a vector).</summary>
    public bool ReturnSequences { get; set; }
}

/// <summary>
/// A long short-term memory layer over a sequence, as PyTorch's <c>nn.LSTM</c>: gates i, f, g, o, c' = f ⊙ c + i ⊙ g and
/// h' = o ⊙ tanh(c'). Parameters weight_ih [4·units, features], weight_hh [4·units, units], bias_ih, bias_hh.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LSTMAttribute : LayerAttribute
{
    /// <summary>Creates an LSTM layer.</summary>
    public LSTMAttribute(int units) { Units = units; }

    /// <summary>Size of the hidden state (and of the cell state).</summary>
    public int Units { get; }
    /// <summary>True: every step's state (a sequence); false: the last step's (a vector).</summary>
    public bool ReturnSequences { get; set; }
}
