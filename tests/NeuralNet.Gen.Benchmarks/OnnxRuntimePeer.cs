using System;
using System.IO;
using Microsoft.ML.OnnxRuntime;
using NeuralNet.Gen;

namespace NeuralNet.Gen.Benchmarks;

/// <summary>
/// ONNX Runtime's C# API on the .onnx file our exporter writes for the same weights, one intra-op thread,
/// in its fastest documented calling style: OrtValues over preallocated buffers bound once with an OrtIoBinding.
/// </summary>
public sealed class OnnxRuntimePeer : Peer
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtIoBinding _single, _batch;
    private readonly float[] _singleInput, _singleOutput, _batchOutput;
    private readonly OrtValue _singleInputValue, _singleOutputValue, _batchInputValue, _batchOutputValue;

    public OnnxRuntimePeer(Dataset data, INetwork<float> net) : base(data)
    {
        var arch = data.Architecture;
        using var model = new MemoryStream();
        // The network's own description once the generator provides it; until then the architecture's.
        if (net is IDescribedNetwork) net.ExportOnnx(model);
        else net.ExportOnnx(arch.Description, model);
        ModelBytes = model.ToArray();
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(ModelBytes, options);

        _singleInput = new float[arch.InputSize];
        _singleOutput = new float[arch.OutputSize];
        _batchOutput = new float[Dataset.InferenceBatch * arch.OutputSize];
        _singleInputValue = OrtValue.CreateTensorValueFromMemory(_singleInput, [1, arch.InputSize]);
        _singleOutputValue = OrtValue.CreateTensorValueFromMemory(_singleOutput, [1, arch.OutputSize]);
        _batchInputValue = OrtValue.CreateTensorValueFromMemory(data.InferenceInputs, [Dataset.InferenceBatch, arch.InputSize]);
        _batchOutputValue = OrtValue.CreateTensorValueFromMemory(_batchOutput, [Dataset.InferenceBatch, arch.OutputSize]);
        _single = _session.CreateIoBinding();
        _single.BindInput(NeuralNet.Gen.OnnxExport.InputName, _singleInputValue);
        _single.BindOutput(NeuralNet.Gen.OnnxExport.OutputName, _singleOutputValue);
        _batch = _session.CreateIoBinding();
        _batch.BindInput(NeuralNet.Gen.OnnxExport.InputName, _batchInputValue);
        _batch.BindOutput(NeuralNet.Gen.OnnxExport.OutputName, _batchOutputValue);
    }

    public byte[] ModelBytes { get; }

    public override void Forward(int sample, Span<float> output)
    {
        Data.Sample(sample).CopyTo(_singleInput);
        _session.RunWithBinding(_runOptions, _single);
        _singleOutput.CopyTo(output);
    }

    public override void ForwardBatch(Span<float> outputs)
    {
        _session.RunWithBinding(_runOptions, _batch);
        _batchOutput.CopyTo(outputs);
    }

    public override void Dispose()
    {
        _single.Dispose();
        _batch.Dispose();
        _singleInputValue.Dispose();
        _singleOutputValue.Dispose();
        _batchInputValue.Dispose();
        _batchOutputValue.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
        base.Dispose();
    }
}

