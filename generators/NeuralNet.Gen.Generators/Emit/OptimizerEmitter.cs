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
        string k = $"global::NeuralNet.Gen.OptimizerKernels";
        string T = c.T;
        w.Line($"// {o.Kind} ({Describe(o)}), as torch.optim.");
        w.Line("_optimizerStep++;");
        switch (o.Kind)
        {
            case OptimizerKind.Sgd when o.HasVelocity:
                // torch.optim.SGD(momentum=…): the Momentum kind's update with the given factor.
                w.Line($"{k}.Momentum<{T}>(_parameters, _gradients, _velocity, LearningRate, {c.Lit(o.Momentum)}, {c.Lit(o.WeightDecay)}, nesterov: false, _optimizerStep);");
                break;
            case OptimizerKind.Sgd:
                w.Line($"{k}.Sgd<{T}>(_parameters, _gradients, LearningRate, {c.Lit(o.WeightDecay)});");
                break;
            case OptimizerKind.Momentum:
            case OptimizerKind.Nesterov:
                w.Line($"{k}.Momentum<{T}>(_parameters, _gradients, _velocity, LearningRate, {c.Lit(o.Momentum)}, {c.Lit(o.WeightDecay)}, nesterov: {(o.Kind == OptimizerKind.Nesterov ? "true" : "false")}, _optimizerStep);");
                break;
            case OptimizerKind.RmsProp:
                w.Line($"{k}.RmsProp<{T}>(_parameters, _gradients, _squareAverage, LearningRate, {c.Lit(o.Beta2)}, {c.Lit(o.Epsilon)}, {c.Lit(o.WeightDecay)});");
                break;
            case OptimizerKind.Adagrad:
                w.Line($"{k}.Adagrad<{T}>(_parameters, _gradients, _sumOfSquares, LearningRate, {c.Lit(o.Epsilon)}, {c.Lit(o.WeightDecay)});");
                break;
            default:
                w.Line($"{k}.{o.Kind}<{T}>(_parameters, _gradients, _firstMoment, _secondMoment, LearningRate, {c.Lit(o.Beta1)}, {c.Lit(o.Beta2)}, {c.Lit(o.Epsilon)}, {c.Lit(o.WeightDecay)}, _optimizerStep);");
                break;
        }
        StepEmitter.EmitStepWeightsStale(w, c);
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
