using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace Streaming;

/// <summary>
/// RTNeural's benchmark model as attributes: a per-sample Dense, a causal dilated Conv1D (it sees samples t, t−2, t−4),
/// a GRU and a per-sample Dense. Trained on windows of <see cref="SignalTask.Window"/> samples; every layer is causal,
/// so the generator also writes <c>Step</c>, which runs it on a stream one sample at a time.
/// </summary>
[Network(Seed = 1)]
[Input(SignalTask.Window, 1)]
[Dense(8, Tanh)]
[Conv1D(4, 3, Tanh, Padding = Padding.Causal, Dilation = 2)]
[GRU(8, ReturnSequences = true)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.01)]
public partial class StreamingNet { }
