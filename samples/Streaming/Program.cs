using System;
using System.Diagnostics;
using System.Linq;
using NeuralNet.Gen;
using Streaming;

// RTNeural's benchmark model learns an amp-like effect (low-pass, then soft clipping) from windows of 64 samples, then
// runs as an audio plug-in would: Step, one sample per call, on a stream far longer than the training windows.
// `--quick` trains on fewer windows for fewer epochs and streams one second instead of ten.
bool quick = args.Contains("--quick");
var random = new DeterministicRandom(2);
var (inputs, targets) = SignalTask.Windows(quick ? 512 : 2048, ref random);
var net = new StreamingNet();
Console.WriteLine(net.Summary());
Console.WriteLine($"Effect: y = tanh({SignalTask.Drive} * lowpass(x)), lowpass pole {SignalTask.Pole}; {inputs.Length / SignalTask.Window} training windows of {SignalTask.Window} samples");
Console.WriteLine($"Predicting zero would give MSE {SignalTask.MeanSquaredError(new float[targets.Length], targets):F4}");
var losses = SignalTask.Train(net, inputs, targets, epochs: quick ? 15 : 40, batchSize: 32, seed: 3,
    report: (epoch, loss) => { if (epoch % 5 == 0 || epoch == 1) Console.WriteLine($"epoch {epoch,2}: training loss {loss:F5}"); });

// Step equals Forward: the first window, streamed sample by sample, gives Forward's outputs bit for bit.
var window = inputs.AsSpan(0, SignalTask.Window).ToArray();
var forward = new float[SignalTask.Window];
net.Forward(window, forward);
bool same = SignalTask.Stream(net, window).SequenceEqual(forward);
Console.WriteLine($"Step over the first window equals Forward bit for bit: {same}");

// A long stream: seconds of audio at 48 kHz, one Step per sample, compared with the effect itself.
int samples = (quick ? 1 : 10) * SignalTask.SampleRate;
var signal = SignalTask.Signal(samples, ref random);
var expected = SignalTask.Effect(signal);
var streamed = SignalTask.Stream(net, signal.AsSpan(0, SignalTask.SampleRate)); // warms up the JIT too
var output = new float[samples];
net.ResetState();
var watch = Stopwatch.StartNew();
for (int t = 0; t < samples; t++) net.Step(signal.AsSpan(t, 1), output.AsSpan(t, 1));
watch.Stop();
double nsPerStep = watch.Elapsed.TotalNanoseconds / samples;
double realTime = samples / (double)SignalTask.SampleRate / watch.Elapsed.TotalSeconds;
Console.WriteLine($"Streamed {samples} samples ({samples / (double)SignalTask.SampleRate:F0} s of audio at 48 kHz) in {watch.Elapsed.TotalMilliseconds:F1} ms: " +
                  $"{nsPerStep:F0} ns per step, {realTime:F0}x real time");
double error = SignalTask.MeanSquaredError(output, expected);
Console.WriteLine($"final training loss {losses[^1]:F5}; stream MSE against the effect {error:F5}; Step = Forward: {same}");
return same && error < 0.01 ? 0 : 1;
