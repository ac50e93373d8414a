// Compiled only with -p:ShowWeightsMismatch=true: the same Keras file, but the first layer declared with 16 units
// instead of the 8 it was trained with. The build stops with NNG0012 on the path, naming the layer and both shapes.
using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

namespace PretrainedWeights;

#pragma warning disable NNG0007
[Network]
[Input(1)]
[Dense(16, Tanh)]
[Dense(8, Relu)]
[Dense(8, Elu)]
[Dense(8, Softmax)]
[Dense(1)]
[Dense(8)]
[Dense(8)]
[Dense(1)]
[Weights("weights/keras-dense.json")]
public partial class WiderNet { }
#pragma warning restore NNG0007
