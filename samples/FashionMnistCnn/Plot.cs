using System;
using System.Globalization;
using System.Text;

namespace FashionMnistCnn;

/// <summary>A small SVG chart of the training history: loss (left axis) and test accuracy (right axis) per epoch.</summary>
public static class Plot
{
    public static string LossAndAccuracy((int Epoch, double Loss, double Accuracy, double Seconds)[] history)
    {
        const int width = 640, height = 360, left = 60, right = 60, top = 30, bottom = 40;
        double plotWidth = width - left - right, plotHeight = height - top - bottom;
        double maxLoss = 0;
        foreach (var h in history) maxLoss = Math.Max(maxLoss, h.Loss);
        maxLoss = maxLoss <= 0 ? 1 : maxLoss * 1.1;
        double minAccuracy = 0.8;
        foreach (var h in history) minAccuracy = Math.Min(minAccuracy, Math.Floor(h.Accuracy * 10) / 10);
        int epochs = Math.Max(history.Length, 2);
        string X(int epoch) => F(left + plotWidth * (epoch - 1) / (epochs - 1));
        string YLoss(double loss) => F(top + plotHeight * (1 - loss / maxLoss));
        string YAccuracy(double accuracy) => F(top + plotHeight * (1 - (accuracy - minAccuracy) / (1 - minAccuracy)));

        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append($"<text x=\"{width / 2}\" y=\"18\" text-anchor=\"middle\">Fashion-MNIST CNN: training loss and test accuracy per epoch</text>\n");
        svg.Append($"<rect x=\"{left}\" y=\"{top}\" width=\"{F(plotWidth)}\" height=\"{F(plotHeight)}\" fill=\"none\" stroke=\"#999\"/>\n");
        for (int i = 0; i <= 4; i++)
        {
            double loss = maxLoss * i / 4, accuracy = minAccuracy + (1 - minAccuracy) * i / 4;
            svg.Append($"<text x=\"{left - 6}\" y=\"{YLoss(loss)}\" text-anchor=\"end\" fill=\"#c0392b\">{F(loss, "0.00")}</text>\n");
            svg.Append($"<text x=\"{width - right + 6}\" y=\"{YAccuracy(accuracy)}\" fill=\"#2471a3\">{F(accuracy * 100, "0.0")}%</text>\n");
        }
        foreach (var h in history) svg.Append($"<text x=\"{X(h.Epoch)}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\">{h.Epoch}</text>\n");
        svg.Append($"<text x=\"{width / 2}\" y=\"{height - 6}\" text-anchor=\"middle\">epoch</text>\n");
        svg.Append(Line(history, h => X(h.Epoch) + "," + YLoss(h.Loss), "#c0392b"));
        svg.Append(Line(history, h => X(h.Epoch) + "," + YAccuracy(h.Accuracy), "#2471a3"));
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Line((int Epoch, double Loss, double Accuracy, double Seconds)[] history, Func<(int Epoch, double Loss, double Accuracy, double Seconds), string> point, string colour)
    {
        var points = new StringBuilder();
        foreach (var h in history) points.Append(point(h)).Append(' ');
        return $"<polyline points=\"{points.ToString().TrimEnd()}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>\n";
    }

    private static string F(double value, string format = "0.#") => value.ToString(format, CultureInfo.InvariantCulture);
}
