using System;
using System.Linq;
using NeuralNet.Gen.Data;
using Xunit;

namespace NeuralNet.Gen.Runtime.Tests;

public class PreprocessingTests
{
    [Fact]
    public void Min_max_uses_the_training_range_on_other_data()
    {
        float[] train = { 0, 10, 5, 20, 10, 30 }; // feature 0 in [0, 10], feature 1 in [10, 30]
        var scaler = MinMaxScaler<float>.Fit(train, featureCount: 2);
        Assert.Equal(new float[] { 0, 10 }, scaler.Minimum.ToArray());
        Assert.Equal(new float[] { 10, 30 }, scaler.Maximum.ToArray());
        Assert.Equal(new float[] { 0, 0, 0.5f, 0.5f, 1, 1 }, scaler.Transform(train));
        float[] test = { 20, 0 };
        scaler.Transform(test.AsSpan());
        Assert.Equal(new float[] { 2, -0.5f }, test); // outside the training range stays outside [0, 1]
        scaler.InverseTransform(test);
        Assert.Equal(new float[] { 20, 0 }, test);
    }

    [Fact]
    public void Min_max_to_another_range_and_a_constant_feature()
    {
        double[] data = { 1, 7, 3, 7 };
        var scaler = MinMaxScaler<double>.Fit(data, 2, lower: -1, upper: 1);
        Assert.Equal(new double[] { -1, -1, 1, -1 }, scaler.Transform(data));
        Assert.Throws<ArgumentOutOfRangeException>(() => MinMaxScaler<double>.Fit(data, 2, lower: 1, upper: 1));
    }

    [Fact]
    public void Standardisation_gives_zero_mean_and_unit_deviation_on_training_data()
    {
        double[] train = { 1, 100, 2, 100, 3, 100, 4, 100 };
        var scaler = StandardScaler<double>.Fit(train, 2);
        Assert.Equal(2.5, scaler.Mean[0], 12);
        Assert.Equal(Math.Sqrt(1.25), scaler.StandardDeviation[0], 12); // population deviation, as scikit-learn
        Assert.Equal(0, scaler.StandardDeviation[1]);
        var z = scaler.Transform(train);
        double[] feature0 = { z[0], z[2], z[4], z[6] };
        Assert.Equal(0, feature0.Average(), 12);
        Assert.Equal(1, Math.Sqrt(feature0.Select(v => v * v).Average()), 12);
        Assert.Equal(0, z[1]); // a constant feature is only centred
        double[] test = { 5, 101 };
        scaler.Transform(test.AsSpan());
        Assert.Equal((5 - 2.5) / Math.Sqrt(1.25), test[0], 12);
        Assert.Equal(1, test[1], 12);
        scaler.InverseTransform(test);
        Assert.Equal(5, test[0], 12);
        Assert.Equal(101, test[1], 12);
    }

    [Fact]
    public void Scalers_refuse_bad_data()
    {
        Assert.Throws<ArgumentException>(() => MinMaxScaler<float>.Fit(Array.Empty<float>(), 2));
        Assert.Contains("multiple of 2", Assert.Throws<ArgumentException>(() => StandardScaler<float>.Fit(new float[3], 2)).Message);
        Assert.Contains("row 1, feature 0", Assert.Throws<ArgumentException>(() => StandardScaler<float>.Fit(new[] { 1f, 2, float.NaN, 3 }, 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => MinMaxScaler<float>.Fit(new float[2], 0));
        var scaler = MinMaxScaler<float>.Fit(new float[] { 0, 1 }, 2);
        Assert.Throws<ArgumentException>(() => scaler.Transform(new float[3]));
        Assert.Throws<ArgumentException>(() => scaler.Transform(new float[2], new float[4]));
    }

    [Fact]
    public void One_hot_and_back()
    {
        float[] encoded = Preprocessing.OneHot<float>(new[] { 2, 0, 1 }, 3);
        Assert.Equal(new float[] { 0, 0, 1, 1, 0, 0, 0, 1, 0 }, encoded);
        Assert.Equal(new[] { 2, 0, 1 }, Preprocessing.ArgMaxRows<float>(encoded, 3));
        Assert.Equal(new double[] { 0, 1, 1, 0 }, Preprocessing.OneHot<double>(new byte[] { 1, 0 }, 2));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Preprocessing.OneHot<float>(new[] { 0, 3 }, 3));
        Assert.Contains("Label 1 is 3", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Preprocessing.OneHot<float>(new[] { -1 }, 3));
        Assert.Throws<ArgumentException>(() => Preprocessing.OneHot<float>(new[] { 0 }, 3, new float[2]));
    }
}

public class DatasetTests
{
    private static Dataset<float> Numbered(int count, Func<int, int>? label = null)
    {
        // Input = sample id, target = its class, so we can trace samples through a split.
        var x = Enumerable.Range(0, count).Select(i => (float)i).ToArray();
        var y = Enumerable.Range(0, count).Select(i => (float)(label?.Invoke(i) ?? 0)).ToArray();
        return new Dataset<float>(x, y, 1, 1);
    }

    [Fact]
    public void The_default_split_is_six_two_two_and_loses_no_sample()
    {
        var (train, validation, test) = Numbered(100).Split(seed: 1);
        Assert.Equal(60, train.Count);
        Assert.Equal(20, validation.Count);
        Assert.Equal(20, test.Count);
        var all = train.Inputs.Concat(validation.Inputs).Concat(test.Inputs).OrderBy(v => v).ToArray();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (float)i), all);
        Assert.NotEqual(Enumerable.Range(0, 60).Select(i => (float)i), train.Inputs); // shuffled
    }

    [Fact]
    public void The_split_depends_on_the_seed_only()
    {
        var data = Numbered(50);
        Assert.Equal(data.Split(seed: 4).Train.Inputs, data.Split(seed: 4).Train.Inputs);
        Assert.NotEqual(data.Split(seed: 4).Train.Inputs, data.Split(seed: 5).Train.Inputs);
        var (train, validation, test) = data.Split(0.8, 0.2, 0, seed: 1);
        Assert.Equal(40, train.Count);
        Assert.Equal(10, validation.Count);
        Assert.Equal(0, test.Count);
    }

    [Fact]
    public void A_stratified_split_keeps_the_class_proportions()
    {
        var data = Numbered(100, i => i < 80 ? 0 : 1); // 80 of class 0, 20 of class 1
        var (train, validation, test) = data.Split(seed: 2, stratify: true);
        Assert.Equal(12, train.Targets.Count(t => t == 1));
        Assert.Equal(48, train.Targets.Count(t => t == 0));
        Assert.Equal(4, validation.Targets.Count(t => t == 1));
        Assert.Equal(4, test.Targets.Count(t => t == 1));
        // Targets still belong to their inputs.
        Assert.All(Enumerable.Range(0, train.Count), i => Assert.Equal(train.Input(i)[0] >= 80 ? 1f : 0f, train.Target(i)[0]));
    }

    [Fact]
    public void Stratification_reads_class_indices_as_classes()
    {
        // CSV categorical labels arrive as one target holding the class index; class 2 must not become class 1.
        var data = Numbered(90, i => i % 3);
        var (train, validation, test) = data.Split(seed: 3, stratify: true);
        Assert.Equal(new[] { 18, 18, 18 }, Enumerable.Range(0, 3).Select(c => train.Targets.Count(t => t == c)));
        Assert.Equal(new[] { 6, 6, 6 }, Enumerable.Range(0, 3).Select(c => test.Targets.Count(t => t == c)));
    }

    [Fact]
    public void A_stratified_split_of_continuous_targets_is_refused()
    {
        var x = Enumerable.Range(0, 20).Select(i => (float)i).ToArray();
        var prices = x.Select(v => 100 + 7.5f * v).ToArray();
        var e = Assert.Throws<ArgumentException>(() => new Dataset<float>(x, prices, 1, 1).Split(stratify: true));
        Assert.Contains("sample 1's target is 107.5", e.Message);
        Assert.Contains("split without stratify", e.Message);
        var fractions = x.Select(v => v / 20).ToArray(); // in [0, 1): used to be rounded at 0.5 silently
        Assert.Throws<ArgumentException>(() => new Dataset<float>(x, fractions, 1, 1).Split(stratify: true));
        var twoOutputs = x.Select(v => v).Concat(x).ToArray(); // multi-output regression, not one-hot
        Assert.Contains("not one-hot", Assert.Throws<ArgumentException>(() => new Dataset<float>(x, twoOutputs, 1, 2).Split(stratify: true)).Message);
        // Without stratify the same data split as before.
        Assert.Equal(12, new Dataset<float>(x, prices, 1, 1).Split().Train.Count);
    }

    [Fact]
    public void Stratification_reads_one_hot_targets()
    {
        var x = Enumerable.Range(0, 30).Select(i => (float)i).ToArray();
        var y = Preprocessing.OneHot<float>(Enumerable.Range(0, 30).Select(i => i % 3).ToArray(), 3);
        var (train, _, _) = new Dataset<float>(x, y, 1, 3).Split(seed: 3, stratify: true);
        var classes = train.ClassLabels();
        Assert.Equal(6, classes.Count(c => c == 0));
        Assert.Equal(6, classes.Count(c => c == 1));
        Assert.Equal(6, classes.Count(c => c == 2));
    }

    [Fact]
    public void Shuffle_keeps_inputs_and_targets_together()
    {
        var data = Numbered(20, i => i * 10);
        var shuffled = data.Shuffle(seed: 7);
        Assert.NotEqual(data.Inputs, shuffled.Inputs);
        for (int i = 0; i < 20; i++) Assert.Equal(shuffled.Input(i)[0] * 10, shuffled.Target(i)[0]);
        Assert.Equal(shuffled.Inputs, data.Shuffle(seed: 7).Inputs);
    }

    [Fact]
    public void Datasets_refuse_mismatched_arrays_and_shares()
    {
        Assert.Throws<ArgumentException>(() => new Dataset<float>(new float[6], new float[2], 2, 1));
        Assert.Throws<ArgumentException>(() => new Dataset<float>(new float[5], new float[2], 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset<float>(new float[6], new float[3], 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(10).Split(0, 0.5, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(10).Split(0.5, -0.1, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(10).Input(10));
    }
}
