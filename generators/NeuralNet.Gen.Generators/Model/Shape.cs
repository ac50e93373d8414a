namespace NeuralNet.Gen.Generators.Model;

/// <summary>A layer's output shape: a vector (rank 1) or height × width × channels (rank 3, channels last).</summary>
internal readonly record struct Shape(int Rank, int Height, int Width, int Channels)
{
    public static Shape Vector(int size) => new(1, 1, 1, size);

    public static Shape Image(int height, int width, int channels) => new(3, height, width, channels);

    public int Size => Height * Width * Channels;

    public override string ToString() => Rank == 1 ? Channels.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0}x{1}x{2}", Height, Width, Channels);
}
