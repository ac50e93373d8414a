// Fashion-MNIST with a small residual CNN with BatchNorm (FashionResNet.cs): a residual block (Add over two
// convolutions and a BatchNorm) between the stem and the head of the plain CNN sample (samples/FashionMnistCnn,
// 0.915 test accuracy, about 25-40 s per epoch on one core). Adam 0.001, minibatches of 64 over all 60,000 images;
// the run is samples/Shared/FashionMnistRun.cs, shared with samples/FashionMnistCnn.
// Prints every epoch's loss, training time and test accuracy; writes the history as CSV and PNG plots of the
// training curve and the test confusion matrix.
//
//   dotnet run -c Release --project samples/FashionMnistResNet -- [folder] [--epochs 12] [--limit N] [--out DIR]
using NeuralNet.Gen.Samples;

namespace FashionMnistResNet;

public static class Program
{
    public const string DefaultFolder = FashionMnistData.DefaultFolder;

    public static int Main(string[] args) =>
        new FashionMnistRun("FashionMnistResNet", "fashion-resnet", "Fashion-MNIST residual CNN", "plain CNN sample: 0.915, 25-40 s per epoch")
            .Main(args, () => new FashionResNet());
}
