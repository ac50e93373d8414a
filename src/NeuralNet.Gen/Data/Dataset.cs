using System;
using System.Collections.Generic;

namespace NeuralNet.Gen.Data;

/// <summary>
/// Samples as two row-major arrays: <see cref="Inputs"/> (<see cref="InputSize"/> values each) and
/// <see cref="Targets"/> (<see cref="TargetSize"/> values each), ready for Fit and Evaluate.
/// </summary>
public sealed class Dataset<T> where T : unmanaged
{
    /// <summary>Wraps the arrays (not copied).</summary>
    /// <exception cref="ArgumentException">The arrays do not hold the same whole number of samples.</exception>
    public Dataset(T[] inputs, T[] targets, int inputSize, int targetSize)
    {
        Requires.NotNull(inputs, nameof(inputs));
        Requires.NotNull(targets, nameof(targets));
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"inputSize must be positive, but it is {inputSize}.");
        if (targetSize <= 0) throw new ArgumentOutOfRangeException(nameof(targetSize), targetSize, $"targetSize must be positive, but it is {targetSize}.");
        if (inputs.Length % inputSize != 0)
            throw new ArgumentException($"Expected a multiple of inputSize {inputSize} input values but got {inputs.Length}.", nameof(inputs));
        int count = inputs.Length / inputSize;
        if ((long)count * targetSize != targets.Length)
            throw new ArgumentException($"Expected {(long)count * targetSize} target values ({count} samples x targetSize {targetSize}) but got {targets.Length}.", nameof(targets));
        Inputs = inputs;
        Targets = targets;
        InputSize = inputSize;
        TargetSize = targetSize;
    }

    /// <summary>Row-major inputs.</summary>
    public T[] Inputs { get; }
    /// <summary>Row-major targets.</summary>
    public T[] Targets { get; }
    /// <summary>Values per input row.</summary>
    public int InputSize { get; }
    /// <summary>Values per target row.</summary>
    public int TargetSize { get; }
    /// <summary>Number of samples.</summary>
    public int Count => Inputs.Length / InputSize;

    /// <summary>Input row <paramref name="index"/>.</summary>
    public ReadOnlySpan<T> Input(int index) => Inputs.AsSpan(CheckIndex(index) * InputSize, InputSize);
    /// <summary>Target row <paramref name="index"/>.</summary>
    public ReadOnlySpan<T> Target(int index) => Targets.AsSpan(CheckIndex(index) * TargetSize, TargetSize);

    /// <summary>A copy with the samples in a seeded random order (input and target rows stay together).</summary>
    public Dataset<T> Shuffle(int seed)
    {
        var order = Identity(Count);
        new DeterministicRandom(seed).Shuffle(order.AsSpan());
        return Select(order);
    }

    /// <summary>A copy of the samples at <paramref name="indices"/>, in that order.</summary>
    public Dataset<T> Select(ReadOnlySpan<int> indices)
    {
        var inputs = new T[indices.Length * InputSize];
        var targets = new T[indices.Length * TargetSize];
        for (int i = 0; i < indices.Length; i++)
        {
            Input(indices[i]).CopyTo(inputs.AsSpan(i * InputSize));
            Target(indices[i]).CopyTo(targets.AsSpan(i * TargetSize));
        }
        return new Dataset<T>(inputs, targets, InputSize, TargetSize);
    }

    /// <summary>
    /// Shuffles with <paramref name="seed"/> and splits into training, validation and test sets in the ratio
    /// <paramref name="train"/> : <paramref name="validation"/> : <paramref name="test"/> (6:2:2 by default).
    /// With <paramref name="stratify"/>, each class (see <see cref="ClassLabels"/>) is split in that ratio on its own,
    /// so every part keeps the class proportions; continuous (regression) targets have no classes and are refused.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="stratify"/> is set and the targets are not classes.</exception>
    public (Dataset<T> Train, Dataset<T> Validation, Dataset<T> Test) Split(double train = 0.6, double validation = 0.2, double test = 0.2, int seed = 0, bool stratify = false)
    {
        if (!(train > 0) || !(validation >= 0) || !(test >= 0) || !double.IsFinite(train + validation + test))
            throw new ArgumentOutOfRangeException(nameof(train), $"Expected a positive training share and non-negative validation and test shares but got {train} : {validation} : {test}.");
        double sum = train + validation + test;
        var random = new DeterministicRandom(seed);
        var trainIndices = new List<int>();
        var validationIndices = new List<int>();
        var testIndices = new List<int>();
        foreach (var group in stratify ? GroupByClass() : new List<int[]> { Identity(Count) })
        {
            random.Shuffle(group.AsSpan());
            // Rounding the cumulative boundaries keeps the parts' sizes within one sample of the ratio.
            int trainEnd = (int)Math.Round(group.Length * train / sum);
            int validationEnd = (int)Math.Round(group.Length * (train + validation) / sum);
            trainIndices.AddRange(group.AsSpan(0, trainEnd).ToArray());
            validationIndices.AddRange(group.AsSpan(trainEnd, validationEnd - trainEnd).ToArray());
            testIndices.AddRange(group.AsSpan(validationEnd).ToArray());
        }
        if (stratify)
        {
            // Classes were appended one after another; mix them again.
            var t = trainIndices.ToArray(); random.Shuffle(t.AsSpan());
            var v = validationIndices.ToArray(); random.Shuffle(v.AsSpan());
            var s = testIndices.ToArray(); random.Shuffle(s.AsSpan());
            return (Select(t), Select(v), Select(s));
        }
        return (Select(trainIndices.ToArray()), Select(validationIndices.ToArray()), Select(testIndices.ToArray()));
    }

    /// <summary>
    /// The class of each sample: a single target that is a whole number 0, 1, 2, … (a binary label or a class index,
    /// as <see cref="CsvData{T}.ToDataset"/> gives), or the index of the 1 in a one-hot target row.
    /// </summary>
    /// <exception cref="ArgumentException">A target is not a class: a fraction or a negative number, or a row that is not one-hot.</exception>
    public int[] ClassLabels()
    {
        var labels = new int[Count];
        for (int i = 0; i < labels.Length; i++)
            labels[i] = TargetSize == 1 ? ClassIndex(i) : OneHotIndex(i);
        return labels;
    }

    private int ClassIndex(int sample)
    {
        double value = Scalar<T>.ToDouble(Target(sample)[0]);
        if (value >= 0 && value < int.MaxValue && value == Math.Floor(value)) return (int)value;
        throw new ArgumentException(FormattableString.Invariant(
            $"The targets are not classes: sample {sample}'s target is {value}, but a stratified split needs whole-number class labels (0, 1, 2, …) or one-hot rows. Continuous (regression) targets have no classes to keep in proportion: split without stratify."), "stratify");
    }

    private int OneHotIndex(int sample)
    {
        var row = Target(sample);
        int hot = -1;
        for (int j = 0; j < row.Length; j++)
        {
            double value = Scalar<T>.ToDouble(row[j]);
            if (value == 1 && hot < 0) hot = j;
            else if (value != 0) { hot = -1; break; }
        }
        if (hot >= 0) return hot;
        throw new ArgumentException(FormattableString.Invariant(
            $"The targets are not classes: sample {sample}'s target row is not one-hot (a single 1 among 0s), but a stratified split needs one-hot rows or whole-number class labels. Continuous (regression) targets have no classes to keep in proportion: split without stratify."), "stratify");
    }

    private List<int[]> GroupByClass()
    {
        var byClass = new SortedDictionary<int, List<int>>();
        var labels = ClassLabels();
        for (int i = 0; i < labels.Length; i++)
        {
            if (!byClass.TryGetValue(labels[i], out var list)) byClass[labels[i]] = list = new List<int>();
            list.Add(i);
        }
        var groups = new List<int[]>();
        foreach (var list in byClass.Values) groups.Add(list.ToArray());
        return groups;
    }

    private static int[] Identity(int count)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        return order;
    }

    private int CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"Sample index must be in [0, {Count}), but it is {index}.");
        return index;
    }
}
