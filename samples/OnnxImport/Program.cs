using System;
using System.Globalization;
using System.IO;
using OnnxImport;

// A game's NPC asks its policy for an action every tick: one observation in, action probabilities out, no allocation.
var policy = new Policy();
Console.WriteLine("Layers declared by policy.onnx (NNG0014 at build time):");
Console.WriteLine(Policy.WeightsArchitecture);
Console.WriteLine();

var reference = PolicyReference.Read(Path.Combine(AppContext.BaseDirectory, "policy.expected.csv"));
Span<float> probabilities = stackalloc float[Policy.OutputSize];
double worst = 0;
int agree = 0;
Console.WriteLine("health distance enemy  ammo  | ours            | PyTorch");
for (int i = 0; i < reference.Observations.Length; i++)
{
    float[] observation = reference.Observations[i];
    policy.Forward(observation, probabilities);
    int ours = PolicyReference.ArgMax(probabilities), theirs = PolicyReference.ArgMax(reference.Probabilities[i]);
    for (int k = 0; k < probabilities.Length; k++) worst = Math.Max(worst, Math.Abs(probabilities[k] - reference.Probabilities[i][k]));
    if (ours == theirs) agree++;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{observation[0],6:F2} {observation[1],8:F2} {observation[2],5:F2} {observation[3],5:F2} | {PolicyReference.Actions[ours],-6} p={probabilities[ours]:F4} | {PolicyReference.Actions[theirs],-6} p={reference.Probabilities[i][theirs]:F4}"));
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Same action for {agree} of {reference.Observations.Length} observations; largest probability difference {worst:G3}."));
