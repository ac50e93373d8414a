using static NeuralNet.Gen.Generators.Emit.EmitContext;
using System.Collections.Generic;
using System.Globalization;
using NeuralNet.Gen.Generators.Model;

namespace NeuralNet.Gen.Generators.Emit;

/// <summary>Emits the optimizer's state fields and the call into the runtime's torch.optim update rules.</summary>
internal static class OptimizerEmitter
{
    private static IReadOnlyList<string> StateFields(OptimizerSpec o) => o.Kind switch
    {
        OptimizerKind.Sgd => o.HasVelocity ? new[] { "_velocity" } : new string[0],
        OptimizerKind.Momentum or OptimizerKind.Nesterov => new[] { "_velocity" },
        OptimizerKind.RmsProp => new[] { "_squareAverage" },
        OptimizerKind.Adagrad => new[] { "_sumOfSquares" },
        _ => new[] { "_firstMoment", "_secondMoment" },
    };

    /// <summary>The constants in use, e.g. <c>lr 0.001, betas 0.9/0.999, eps 1E-08</c>.</summary>
    public static string Describe(OptimizerSpec o)
    {
        string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        string decay = o.WeightDecay != 0 ? $", weight decay {F(o.WeightDecay)}" : "";
        return o.Kind switch
        {
            OptimizerKind.Sgd when o.HasVelocity => $"lr {F(o.LearningRate)}, momentum {F(o.Momentum)}{decay}",
            OptimizerKind.Sgd => $"lr {F(o.LearningRate)}{decay}",
            OptimizerKind.Momentum or OptimizerKind.Nesterov => $"lr {F(o.LearningRate)}, momentum {F(o.Momentum)}{decay}",
            OptimizerKind.RmsProp => $"lr {F(o.LearningRate)}, alpha {F(o.Beta2)}, eps {F(o.Epsilon)}{decay}",
            OptimizerKind.Adagrad => $"lr {F(o.LearningRate)}, eps {F(o.Epsilon)}{decay}",
            _ => $"lr {F(o.LearningRate)}, betas {F(o.Beta1)}/{F(o.Beta2)}, eps {F(o.Epsilon)}{decay}",
        };
    }

    public static void EmitFields(SourceWriter w, EmitContext c)
    {
        foreach (var field in StateFields(c.Spec.Optimizer))
        {
            w.Line($"private readonly {c.T}[] {field} = new {c.T}[ParameterCount];");
        }
        w.Line("private int _optimizerStep;");
    }

    public static void EmitUpdate(SourceWriter w, EmitContext c)
    {
        var o = c.Spec.Optimizer;
        w.Line($"// {o.Kind} ({Describe(o)}), as torch.optim.");
        w.Line("_optimizerStep++;");
        if (UpdatesInRanges(c))
        {
            w.Line("// Every parameter is updated alone: the ranges of parameters split over the workers give the same bits.");
            w.Line("if (RunsInParallel(GradientRanges)) Workers().Run(GradientRanges, _updateRange ??= UpdateRange);");
            w.Line($"else {Update(c, field => field)}");
        }
        else
        {
            w.Line(Update(c, field => field));
        }
        StepEmitter.EmitStepWeightsStale(w, c);
    }

    /// <summary>Whether <c>OptimizerStep</c> can split its update over the workers: the training batches split into chunks, and there is more than one range.</summary>
    public static bool UpdatesInRanges(EmitContext c) => c.Spec.IsTrainable && c.Plan.SplitsTrainingBatches && ChunkEmitter.GradientRangeCount(c) > 1;

    /// <summary><c>UpdateRange</c>: the optimizer's update over one range of the parameters, as <c>SumChunkGradients</c> ranges them.</summary>
    public static void EmitUpdateRange(SourceWriter w, EmitContext c)
    {
        if (!UpdatesInRanges(c)) return;
        w.Line();
        w.Line($"/// <summary>The optimizer's update over range <paramref name=\"range\"/> of {Int(ChunkEmitter.GradientRangeSize)} parameters.</summary>");
        using (w.Block("private void UpdateRange(int range, int worker)"))
        {
            w.Line($"int start = range * {Int(ChunkEmitter.GradientRangeSize)}, count = global::System.Math.Min({Int(ChunkEmitter.GradientRangeSize)}, ParameterCount - start);");
            w.Line(Update(c, field => field == "_parameters" ? "_parameters.AsSpan(start, count)" : $"new global::System.Span<{c.T}>({field}, start, count)"));
        }
    }

    /// <summary>The kernel call of the optimizer's update over the spans <paramref name="span"/> makes of each array.</summary>
    private static string Update(EmitContext c, System.Func<string, string> span)
    {
        var o = c.Spec.Optimizer;
        string k = $"global::NeuralNet.Gen.OptimizerKernels";
        string T = c.T, p = span("_parameters"), g = span("_gradients");
        return o.Kind switch
        {
            // torch.optim.SGD(momentum=…): the Momentum kind's update with the given factor.
            OptimizerKind.Sgd when o.HasVelocity => $"{k}.Momentum<{T}>({p}, {g}, {span("_velocity")}, LearningRate, {c.Lit(o.Momentum)}, {c.Lit(o.WeightDecay)}, nesterov: false, _optimizerStep);",
            OptimizerKind.Sgd => $"{k}.Sgd<{T}>({p}, {g}, LearningRate, {c.Lit(o.WeightDecay)});",
            OptimizerKind.Momentum or OptimizerKind.Nesterov => $"{k}.Momentum<{T}>({p}, {g}, {span("_velocity")}, LearningRate, {c.Lit(o.Momentum)}, {c.Lit(o.WeightDecay)}, nesterov: {(o.Kind == OptimizerKind.Nesterov ? "true" : "false")}, _optimizerStep);",
            OptimizerKind.RmsProp => $"{k}.RmsProp<{T}>({p}, {g}, {span("_squareAverage")}, LearningRate, {c.Lit(o.Beta2)}, {c.Lit(o.Epsilon)}, {c.Lit(o.WeightDecay)});",
            OptimizerKind.Adagrad => $"{k}.Adagrad<{T}>({p}, {g}, {span("_sumOfSquares")}, LearningRate, {c.Lit(o.Epsilon)}, {c.Lit(o.WeightDecay)});",
            _ => $"{k}.{o.Kind}<{T}>({p}, {g}, {span("_firstMoment")}, {span("_secondMoment")}, LearningRate, {c.Lit(o.Beta1)}, {c.Lit(o.Beta2)}, {c.Lit(o.Epsilon)}, {c.Lit(o.WeightDecay)}, _optimizerStep);",
        };
    }

    public static void EmitReset(SourceWriter w, EmitContext c)
    {
        w.Line("/// <summary>Forgets the optimizer's moments and step count, as a newly created optimizer.</summary>");
        using (w.Block("public void ResetOptimizerState()"))
        {
            w.Line("_optimizerStep = 0;");
            foreach (var field in StateFields(c.Spec.Optimizer))
            {
                w.Line($"new global::System.Span<{c.T}>({field}).Clear();");
            }
        }
    }
}
