using NeuralNet.Gen;

namespace OnnxImport;

/// <summary>
/// The NPC policy trained in PyTorch (make_policy.py) and shipped as policy.onnx: the file declares the layers and
/// holds the weights, so the class says nothing else. NNG0014 shows the layers in the IDE; its code fix writes them out.
/// </summary>
[Network]
[Weights("policy.onnx")]
public partial class Policy { }
