using System.Collections.Generic;
using NeuralNet.Gen.Generators.Emit;
using NeuralNet.Gen.Generators.Model;

namespace NeuralNet.Gen.Generators.Layers;

/// <summary>
/// A layer kind that can also run one sample at a time over locals and spans (straight-line code when the plan
/// unrolls it). A network whose layers all are such kinds gets a one-sample forward pass written layer by layer,
/// and, when every layer is unrolled, a one-sample training pass.
/// </summary>
internal interface IUnrollableLayer
{
    Values EmitSampleForward(SourceWriter w, EmitContext c, LayerPlan layer, Values input, string? zSpan, string? outSpan);

    Values EmitSampleActivationBackward(SourceWriter w, EmitContext c, LayerPlan layer, Values upstream, Values z, Values a);

    void EmitSampleBackward(SourceWriter w, EmitContext c, LayerPlan layer, Values dz, Values input, Values? downstream);

    /// <summary>Work spans of the layer's one-sample forward pass besides its output (laid out in the forward scratch).</summary>
    IEnumerable<BufferSlot> SampleForwardSlots(LayerPlan layer);
}
