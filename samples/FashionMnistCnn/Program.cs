// Fashion-MNIST with a small CNN, the benchmark table's "2 Conv+pooling" entry (0.916 test accuracy):
// Conv2D(32, 3, Relu) -> MaxPool2D(2) -> Conv2D(64, 3, Relu) -> MaxPool2D(2) -> Flatten -> Dropout(0.25)
// -> Dense(128, Relu) -> Dense(10, Softmax), Adam 0.001, minibatches of 64 over all 60,000 training images.
// Prints every epoch's loss, training time and test accuracy; writes the history as CSV and PNG plots of the
// training curve and the test confusion matrix (the run is samples/Shared/FashionMnistRun.cs, shared with
// samples/FashionMnistResNet).
//
//   dotnet run -c Release --project samples/FashionMnistCnn -- [folder] [--epochs 12] [--limit N] [--out DIR]
using NeuralNet.Gen.Samples;

namespace FashionMnistCnn;

public static class Program
{
    public const string DefaultFolder = FashionMnistData.DefaultFolder;

    public static int Main(string[] args) =>
        new FashionMnistRun("FashionMnistCnn", "fashion-cnn", "Fashion-MNIST CNN", "benchmark table: 0.916").Main(args, () => new FashionCnn());
}
