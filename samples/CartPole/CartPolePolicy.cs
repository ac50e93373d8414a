using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace CartPole;

/// <summary>
/// The controller: observation in, one tanh unit out; positive pushes right. Inference-only (no [Loss]):
/// neuroevolution only ever calls the static, pure <c>Forward(parameters, input, output)</c>.
/// </summary>
[Network(Seed = 1)]
[Input(CartPoleEnvironment.ObservationSize)]
[Dense(8, Tanh)]
[Dense(1, Tanh)]
public partial class CartPolePolicy { }
