namespace NeuralNet.Gen.Generators.Model;

/// <summary>
/// A layer's output shape: a vector (rank 1), a sequence (rank 2: <see cref="Height"/> steps of <see cref="Channels"/>
/// features, <see cref="Width"/> 1) or height × width × channels (rank 3). The last axis is always
/// <see cref="Channels"/>, so per-last-axis code (per-step Dense, LayerNorm, activations) runs over
/// <see cref="Positions"/> positions of <see cref="Channels"/> values whatever the rank.
/// </summary>
internal readonly record struct Shape(int Rank, int Height, int Width, int Channels)
{
    public static Shape Vector(int size) => new(1, 1, 1, size);

    /// <summary>A sequence of <paramref name="steps"/> rows of <paramref name="features"/> values, row-major (Keras's (timesteps, features)).</summary>
    public static Shape Sequence(int steps, int features) => new(2, steps, 1, features);

    public bool IsVector => Rank == 1;

    public bool IsSequence => Rank == 2;

    public bool IsImage => Rank == 3;

    /// <summary>Steps of a sequence (its <see cref="Height"/>).</summary>
    public int Steps => Height;

    /// <summary>Positions along every axis but the last: 1 for a vector, steps for a sequence, height × width for an image.</summary>
    public int Positions => Height * Width;

    /// <summary>Rows a loss averages over per sample: the steps of a sequence (as Keras does), 1 for a vector or an image.</summary>
    public int LossRows => IsSequence ? Steps : 1;

    /// <summary>Values in one row of <see cref="LossRows"/>.</summary>
    public int LossRowSize => Size / LossRows;

    public static Shape Image(int height, int width, int channels) => new(3, height, width, channels);

    public int Size => Height * Width * Channels;

    public override string ToString() => Rank == 1 ? Channels.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Rank == 2 ? string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0} steps x {1}", Height, Channels)
        : string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0}x{1}x{2}", Height, Width, Channels);
}
