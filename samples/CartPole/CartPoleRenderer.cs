using System;
using System.Globalization;
using System.Text;

namespace CartPole;

/// <summary>Draws the cart and pole as one line of text, into a reused builder so a frame allocates nothing.</summary>
public static class CartPoleRenderer
{
    /// <summary>Track cells: the 2 × 2.4 m track.</summary>
    public const int Cells = 49;

    /// <summary>A builder of this capacity never grows while drawing.</summary>
    public const int LineCapacity = 128;

    /// <summary>Replaces <paramref name="line"/>'s content with the frame: step, track with the cart, x and theta. The pole leans as /, | or \.</summary>
    public static void Draw(StringBuilder line, in CartPoleEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(line);
        int cart = (int)Math.Round((environment.X + CartPoleEnvironment.XThreshold) / (2 * CartPoleEnvironment.XThreshold) * (Cells - 1));
        cart = Math.Clamp(cart, 0, Cells - 1);
        char pole = environment.Theta > 0.02 ? '/' : environment.Theta < -0.02 ? '\\' : '|';
        line.Clear();
        line.Append(CultureInfo.InvariantCulture, $"{environment.Steps,4} [");
        for (int c = 0; c < Cells; c++) line.Append(c == cart ? pole : '-');
        line.Append(CultureInfo.InvariantCulture, $"] x {environment.X,6:F2} m  theta {environment.Theta * 180 / Math.PI,6:F2} deg");
    }
}
