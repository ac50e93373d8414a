// Shared by the samples (compiled in with <Compile Include="../Shared/Plots.cs" />): PNG pictures of training,
// drawn with ScottPlot. Rendering is headless (Skia in memory), so it works on a server or in CI.
using System;
using System.Collections.Generic;
using System.Linq;
using NeuralNet.Gen;
using ScottPlot;

namespace NeuralNet.Gen.Samples;

/// <summary>PNG plots a person would rather look at than read: training curves, decision boundaries, fitted lines.</summary>
public static class Plots
{
    /// <summary>
    /// Loss per epoch (training and validation) on the left and, when measured, accuracy per epoch on the right,
    /// like Keras' <c>history.history</c> plotted with matplotlib.
    /// </summary>
    public static void TrainingCurves(TrainingHistory history, string path, string title = "Training", int width = 1200, int height = 450)
    {
        ArgumentNullException.ThrowIfNull(history);
        double[] epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
        var loss = new Plot();
        AddSeries(loss, epochs, history.Loss, "training", Colors.C0);
        AddSeries(loss, epochs, history.ValidationLoss, "validation", Colors.C1);
        Decorate(loss, title + ": loss", "epoch", "loss");
        EpochTicks(loss, epochs.Length);

        bool hasAccuracy = history.Accuracy.Count > 0 || history.ValidationAccuracy.Count > 0;
        if (!hasAccuracy)
        {
            loss.SavePng(path, width / 2 + 100, height);
            return;
        }
        var accuracy = new Plot();
        AddSeries(accuracy, epochs, history.Accuracy, "training", Colors.C0);
        AddSeries(accuracy, epochs, history.ValidationAccuracy, "validation", Colors.C1);
        Decorate(accuracy, title + ": accuracy", "epoch", "accuracy");
        accuracy.ShowLegend(Alignment.LowerRight); // accuracy rises, so the lower right is usually empty
        EpochTicks(accuracy, epochs.Length);
        SideBySide(path, width, height, loss, accuracy);
    }

    /// <summary>
    /// The plane coloured by a two-input network's output (probability of class 1, or the argmax class for several outputs),
    /// the 0.5 contour visible as the colour change, with the points on top, coloured by class.
    /// </summary>
    /// <param name="network">A network with 2 inputs.</param>
    /// <param name="inputs">Row-major (x, y) points.</param>
    /// <param name="labels">The class of each point.</param>
    public static void DecisionBoundary(INetwork<float> network, ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, string path,
        string title = "Decision boundary", int width = 700, int height = 650, int resolution = 200)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.InputSize != 2) throw new ArgumentException($"A decision boundary needs a network with 2 inputs, but it has {network.InputSize}.", nameof(network));
        if (inputs.Length != labels.Length * 2) throw new ArgumentException($"Expected {labels.Length * 2} input values (x, y per label) but got {inputs.Length}.", nameof(inputs));
        double xMin = double.MaxValue, xMax = double.MinValue, yMin = double.MaxValue, yMax = double.MinValue;
        for (int i = 0; i < labels.Length; i++)
        {
            xMin = Math.Min(xMin, inputs[2 * i]); xMax = Math.Max(xMax, inputs[2 * i]);
            yMin = Math.Min(yMin, inputs[2 * i + 1]); yMax = Math.Max(yMax, inputs[2 * i + 1]);
        }
        double padX = (xMax - xMin) * 0.08, padY = (yMax - yMin) * 0.08;
        xMin -= padX; xMax += padX; yMin -= padY; yMax += padY;

        // Heatmap rows run from the top of the picture down, so row 0 is the largest y.
        var values = new double[resolution, resolution];
        var point = new float[2];
        var output = new float[network.OutputSize];
        for (int row = 0; row < resolution; row++)
            for (int column = 0; column < resolution; column++)
            {
                point[0] = (float)(xMin + (column + 0.5) * (xMax - xMin) / resolution);
                point[1] = (float)(yMax - (row + 0.5) * (yMax - yMin) / resolution);
                network.Forward(point, output);
                values[row, column] = output.Length == 1 ? output[0] : ArgMax(output);
            }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Rectangle = new CoordinateRect(xMin, xMax, yMin, yMax); // the cells' outer edges
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Opacity = 0.55;
        plot.Add.ColorBar(heatmap); // unlabelled: a label would overlap the tick numbers in this ScottPlot version

        foreach (int label in Distinct(labels))
        {
            var xs = new List<double>();
            var ys = new List<double>();
            for (int i = 0; i < labels.Length; i++)
                if (labels[i] == label) { xs.Add(inputs[2 * i]); ys.Add(inputs[2 * i + 1]); }
            var markers = plot.Add.ScatterPoints(xs.ToArray(), ys.ToArray());
            markers.Color = Palette(label);
            markers.MarkerSize = 6;
            markers.LegendText = $"class {label}";
        }
        plot.Axes.SetLimits(xMin, xMax, yMin, yMax);
        Decorate(plot, title, "x", "y");
        plot.SavePng(path, width, height);
    }

    /// <summary>The points and the line a one-input, one-output network draws through them (the tutorial's matplotlib figure).</summary>
    public static void FittedLine(INetwork<float> network, ReadOnlySpan<float> x, ReadOnlySpan<float> y, string path,
        string title = "Linear regression", string xLabel = "x", string yLabel = "y", int width = 800, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.InputSize != 1 || network.OutputSize != 1)
            throw new ArgumentException($"A fitted line needs a network with 1 input and 1 output, but it has {network.InputSize} and {network.OutputSize}.", nameof(network));
        if (x.Length != y.Length || x.IsEmpty) throw new ArgumentException($"Expected as many y as x values, at least one, but got {x.Length} and {y.Length}.", nameof(y));
        var plot = new Plot();
        var points = plot.Add.ScatterPoints(ToDoubles(x), ToDoubles(y));
        points.LegendText = "data";
        points.Color = Colors.C0;
        points.MarkerSize = 6;

        float min = float.MaxValue, max = float.MinValue;
        foreach (float v in x) { min = Math.Min(min, v); max = Math.Max(max, v); }
        const int steps = 100;
        var lineX = new double[steps];
        var lineY = new double[steps];
        var input = new float[1];
        var output = new float[1];
        for (int i = 0; i < steps; i++)
        {
            input[0] = min + (max - min) * i / (steps - 1);
            network.Forward(input, output);
            lineX[i] = input[0];
            lineY[i] = output[0];
        }
        var line = plot.Add.ScatterLine(lineX, lineY);
        line.LegendText = "model";
        line.Color = Colors.Red;
        line.LineWidth = 2.5f;
        Decorate(plot, title, xLabel, yLabel);
        plot.ShowLegend(slopeIsPositive(lineY) ? Alignment.UpperLeft : Alignment.UpperRight); // the corner the line leaves free

        static bool slopeIsPositive(double[] ys) => ys[^1] >= ys[0];
        plot.SavePng(path, width, height);
    }

    /// <summary>A confusion matrix as a heatmap with counts in the cells; rows are actual classes, columns predicted ones.</summary>
    public static void ConfusionMatrix(ConfusionMatrix matrix, string path, string title = "Confusion matrix", int width = 900, int height = 800)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int n = matrix.ClassCount;
        var values = new double[n, n];
        long max = 1;
        for (int a = 0; a < n; a++)
            for (int p = 0; p < n; p++)
            {
                values[a, p] = matrix[a, p];
                max = Math.Max(max, matrix[a, p]);
            }
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        // White for none, dark blue for many, as scikit-learn's ConfusionMatrixDisplay.
        heatmap.Colormap = new ScottPlot.Colormaps.CustomInterpolated(new[] { Colors.White, new Color(8, 48, 107) });
        heatmap.Rectangle = new CoordinateRect(-0.5, n - 0.5, -0.5, n - 0.5);
        for (int a = 0; a < n; a++)
            for (int p = 0; p < n; p++)
            {
                // Row a is drawn at y = n - 1 - a, so actual class 0 is at the top as in scikit-learn.
                var text = plot.Add.Text(matrix[a, p].ToString(System.Globalization.CultureInfo.InvariantCulture), p, n - 1 - a);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 12;
                text.LabelFontColor = matrix[a, p] > max / 2 ? Colors.White : Colors.Black;
            }
        string Name(int i) => matrix.ClassNames?[i] ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, n).Select(i => (double)i).ToArray(), Enumerable.Range(0, n).Select(Name).ToArray());
        plot.Axes.Left.SetTicks(Enumerable.Range(0, n).Select(i => (double)(n - 1 - i)).ToArray(), Enumerable.Range(0, n).Select(Name).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -35;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperRight;
        plot.Axes.Bottom.MinimumSize = 110; // room for the rotated names above the axis label
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Title(title);
        plot.XLabel("predicted");
        plot.YLabel("actual");
        plot.SavePng(path, width, height);
    }

    private static void AddSeries(Plot plot, double[] epochs, IReadOnlyList<double> values, string label, Color color)
    {
        if (values.Count == 0) return;
        var series = plot.Add.Scatter(epochs.Take(values.Count).ToArray(), values.ToArray());
        series.LegendText = label;
        series.Color = color;
        series.LineWidth = 2;
        series.MarkerSize = epochs.Length <= 30 ? 5 : 0;
    }

    /// <summary>Whole epochs only on the x axis, at most about ten of them.</summary>
    private static void EpochTicks(Plot plot, int epochs)
    {
        int step = 1;
        foreach (int nice in new[] { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000 })
            if (epochs / nice <= 10) { step = nice; break; }
        // Epoch 1, then multiples of a round step: 1, 5, 10, 15 ...
        var positions = new List<double> { 1 };
        for (int e = step; e <= epochs; e += step) if (e > 1) positions.Add(e);
        plot.Axes.Bottom.SetTicks(positions.ToArray(), positions.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    }

    private static void Decorate(Plot plot, string title, string xLabel, string yLabel)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
    }

    /// <summary>Renders two plots next to each other into one PNG.</summary>
    private static void SideBySide(string path, int width, int height, Plot left, Plot right)
    {
        var multiplot = new Multiplot();
        multiplot.Reset(left); // a new Multiplot starts with an empty plot of its own
        multiplot.AddPlot(right);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        multiplot.SavePng(path, width, height);
    }

    private static Color Palette(int index) => index switch
    {
        0 => Colors.OrangeRed,
        1 => Colors.Navy,
        _ => new ScottPlot.Palettes.Category10().GetColor(index),
    };

    private static IEnumerable<int> Distinct(ReadOnlySpan<int> labels)
    {
        var set = new SortedSet<int>();
        foreach (int l in labels) set.Add(l);
        return set;
    }

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    private static double[] ToDoubles(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }
}
