using System.Collections.Generic;
using System.Linq;
using NeuralNet.Gen.Generators.Model;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary>Every layer kind the generator knows. Adding a kind: one <see cref="Layer"/> file and one line here.</summary>
internal static class LayerRegistry
{
    private static readonly Layer[] All =
    {
        new DenseLayer(),
        new Conv2DLayer(),
        new MaxPool2DLayer(),
        new FlattenLayer(),
        new DropoutLayer(),
        new BatchNormLayer(),
        new AddLayer(),
        new ConcatenateLayer(),
        new SimpleRnnLayer(),
        new GruLayer(),
        new LstmLayer(),
        new MaxPool1DLayer(),
        new AveragePool1DLayer(),
        new AveragePool2DLayer(),
        new GlobalAveragePoolLayer(),
        new GlobalMaxPoolLayer(),
        new Conv1DLayer(),
        new ActivationLayer(),
    };

    private static readonly Dictionary<LayerKind, Layer> ByKind = All.ToDictionary(l => l.Kind);

    private static readonly Dictionary<string, Layer> ByAttribute = All.ToDictionary(l => l.AttributeName);

    public static Layer For(LayerKind kind) => ByKind[kind];

    /// <summary>The kind an attribute class declares, or null when it is not a layer attribute.</summary>
    public static Layer? ForAttribute(string attributeName) => ByAttribute.TryGetValue(attributeName, out var layer) ? layer : null;

    public static IEnumerable<string> AttributeNames => All.Select(l => l.AttributeName);

    public static bool Knows(LayerKind kind) => ByKind.ContainsKey(kind);
}
