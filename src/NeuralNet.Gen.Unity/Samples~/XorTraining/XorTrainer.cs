using NeuralNet.Gen;
using UnityEngine;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Samples
{
    /// <summary>
    /// Add to any GameObject: trains XOR a few Adam steps per frame and logs the loss once a second of frames. The
    /// buffers are allocated once, so a frame of training allocates nothing.
    /// </summary>
    public sealed class XorTrainer : MonoBehaviour
    {
        private const int StepsPerFrame = 8;

        private readonly float[] _inputs = { 0, 0, 0, 1, 1, 0, 1, 1 };
        private readonly float[] _targets = { 0, 1, 1, 0 };
        private readonly XorNet _network = new XorNet();
        private int _frame;

        private void Update()
        {
            float loss = 0;
            for (int step = 0; step < StepsPerFrame; step++) loss = _network.TrainStep(_inputs, _targets, batchSize: 4);
            if (++_frame % 60 == 0) Debug.Log($"frame {_frame}: loss {loss:F4}");
        }
    }

    [Network(Seed = 1)]
    [Input(2)]
    [Dense(8, Tanh)]
    [Dense(1, Sigmoid)]
    [Loss(LossFunction.BinaryCrossEntropy)]
    [Optimizer(OptimizerKind.Adam, LearningRate = 0.05f)]
    public partial class XorNet { }
}
