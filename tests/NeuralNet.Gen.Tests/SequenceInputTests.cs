using NeuralNet.Gen;
using Xunit;
using static NeuralNet.Gen.Activation;

namespace NeuralNet.Gen.Tests;

[Network(Seed = 3)]
[Input(3, 2)]
[Flatten]
[Dense(4, Tanh)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
public partial class FlattenedSequenceNet { }

[Network(Seed = 3)]
[Input(6)]
[Dense(4, Tanh)]
[Dense(1)]
[Loss(LossFunction.MeanSquaredError)]
public partial class FlatVectorNet { }

/// <summary>
/// A sequence input, <c>[Input(steps, features)]</c>, is row-major (Keras's (timesteps, features)): flattened, it is
/// the same six values a vector input of six takes, so the two networks agree bit for bit with the same parameters.
/// </summary>
public class SequenceInputTests
{
    [Fact]
    public void Sequence_input_has_steps_times_features_values()
    {
        Assert.Equal(6, FlattenedSequenceNet.InputSize);
        Assert.Equal(FlatVectorNet.ParameterCount, FlattenedSequenceNet.ParameterCount);
        string summary = new FlattenedSequenceNet().Summary();
        Assert.Contains("(None, 6)", summary);
    }

    [Fact]
    public void Flattened_sequence_network_equals_the_vector_network()
    {
        var sequence = new FlattenedSequenceNet();
        var vector = new FlatVectorNet();
        sequence.Parameters.CopyTo(vector.Parameters);
        float[] x = { 0.5f, -1f, 0.25f, 2f, -0.75f, 1.5f };
        float[] y1 = new float[1], y2 = new float[1];
        sequence.Forward(x, y1);
        vector.Forward(x, y2);
        Assert.Equal(y2[0], y1[0]);

        float[] target = { 0.3f };
        float loss1 = sequence.TrainStep(x, target, 1);
        float loss2 = vector.TrainStep(x, target, 1);
        Assert.Equal(loss2, loss1);
        Assert.Equal(vector.Parameters.ToArray(), sequence.Parameters.ToArray());
    }
}
