#!/usr/bin/python3
"""Writes the ONNX reference models that the C# tests read, so the tests never need Python.

Run with Debian's interpreter from this folder (apt-get install -y python3-torch python3-onnx):

    /usr/bin/python3 make_models.py

For each model NAME it writes
  NAME.onnx              torch.onnx.export at opset 17 (or onnx.helper for the hand-written forms)
  NAME.opset11.onnx      the same model at opset 11, only where the exported graph differs from opset 17
  NAME.safetensors       the model's state_dict (torch models only), written here without the safetensors package
  NAME.io.json           a seeded input and the output PyTorch computed for it (float32 values, flattened row-major)
  <onnx file>.graph.json what the C# reader must find in that .onnx file: opsets, inputs and outputs with shapes,
                         nodes with attributes, initializers with shapes and value checksums
and README.md, the list of files with their exporter, opset and operator pattern. Everything is seeded: running
it again rewrites the same models and values (export node names included).
"""
import json
import math
import os
import struct

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from torch import nn
from torch.nn import functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = []  # (name, files, exporter, description) for README.md


# ---------------------------------------------------------------- file writers

def tensor_summary(array):
    """Shape and two checksums a C# test can recompute: the sum and the position-weighted sum, in double."""
    values = np.asarray(array).astype(np.float64).reshape(-1)
    return {
        "dims": list(np.asarray(array).shape),
        "count": int(values.size),
        "sum": math.fsum(values.tolist()),
        "weighted_sum": math.fsum(((np.arange(values.size) + 1) * values).tolist()),
    }


def attribute_summary(attribute):
    value = helper.get_attribute_value(attribute)
    kind = onnx.AttributeProto.AttributeType.Name(attribute.type)
    if attribute.type == onnx.AttributeProto.TENSOR:
        value = dict(tensor_summary(numpy_helper.to_array(value)), data_type=value.data_type)
    elif attribute.type == onnx.AttributeProto.STRING:
        value = value.decode("utf-8")
    elif attribute.type in (onnx.AttributeProto.FLOATS, onnx.AttributeProto.INTS):
        value = list(value)
    elif attribute.type == onnx.AttributeProto.STRINGS:
        value = [v.decode("utf-8") for v in value]
    elif attribute.type == onnx.AttributeProto.FLOAT:
        value = float(value)
    return {"name": attribute.name, "type": kind, "value": value}


def value_info_summary(info):
    tensor_type = info.type.tensor_type
    dims = []
    for dim in tensor_type.shape.dim:
        dims.append(dim.dim_param if dim.HasField("dim_param") else dim.dim_value)
    return {"name": info.name, "elem_type": tensor_type.elem_type, "shape": dims}


def graph_summary(model):
    graph = model.graph
    return {
        "ir_version": model.ir_version,
        "producer_name": model.producer_name,
        "opset_import": [{"domain": o.domain, "version": o.version} for o in model.opset_import],
        "inputs": [value_info_summary(i) for i in graph.input],
        "outputs": [value_info_summary(o) for o in graph.output],
        "nodes": [{
            "name": n.name, "op_type": n.op_type, "domain": n.domain,
            "inputs": list(n.input), "outputs": list(n.output),
            "attributes": [attribute_summary(a) for a in n.attribute],
        } for n in graph.node],
        "initializers": [dict(tensor_summary(numpy_helper.to_array(t)), name=t.name, data_type=t.data_type)
                         for t in graph.initializer],
    }


def write_json(path, value):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(value, f, indent=1, sort_keys=False)
        f.write("\n")


def write_safetensors(path, state_dict):
    """The safetensors format: 8-byte little-endian header length, a JSON header, then raw little-endian data."""
    dtypes = {torch.float32: ("F32", "<f4"), torch.float64: ("F64", "<f8"), torch.int64: ("I64", "<i8")}
    header, blobs, offset = {}, [], 0
    for name, tensor in state_dict.items():
        dtype, numpy_dtype = dtypes[tensor.dtype]
        data = tensor.detach().cpu().numpy().astype(numpy_dtype).tobytes()
        header[name] = {"dtype": dtype, "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # the data starts 8-byte aligned, as the safetensors writer does
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def write_io(name, x, y):
    write_json(os.path.join(HERE, name + ".io.json"), {
        "input": {"shape": list(x.shape), "data": [float(v) for v in x.reshape(-1).tolist()]},
        "output": {"shape": list(y.shape), "data": [float(v) for v in y.reshape(-1).tolist()]},
    })


def op_types(model):
    return [n.op_type for n in model.graph.node]


def save_onnx(model, file_name):
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, file_name))
    write_json(os.path.join(HERE, file_name + ".graph.json"), graph_summary(model))


# ---------------------------------------------------------------- torch models

def export(module, x, opset):
    """torch.onnx.export as users call it: named input and output, a dynamic batch axis, constants folded."""
    import io
    buffer = io.BytesIO()
    torch.onnx.export(module, (x,), buffer, opset_version=opset, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, do_constant_folding=True)
    return onnx.load_from_string(buffer.getvalue())


def torch_model(name, seed, build, input_shape, description, prepare=None, extra_opsets=()):
    torch.manual_seed(seed)
    module = build()
    if prepare is not None:
        with torch.no_grad():
            prepare(module)
    module.eval()
    x = torch.randn(*input_shape)
    with torch.no_grad():
        y = module(x)
    files = []
    opset17 = export(module, x, 17)
    save_onnx(opset17, name + ".onnx")
    files.append((name + ".onnx", "torch.onnx.export", 17, op_types(opset17)))
    opset11 = export(module, x, 11)
    if op_types(opset11) != op_types(opset17):
        save_onnx(opset11, name + ".opset11.onnx")
        files.append((name + ".opset11.onnx", "torch.onnx.export", 11, op_types(opset11)))
    for opset in extra_opsets:
        # Opsets between 11 and 17 that users still pick (13: the decomposed LayerNorm before opset 17).
        other = export(module, x, opset)
        if op_types(other) != op_types(opset17):
            save_onnx(other, f"{name}.opset{opset}.onnx")
            files.append((f"{name}.opset{opset}.onnx", "torch.onnx.export", opset, op_types(other)))
    write_safetensors(os.path.join(HERE, name + ".safetensors"), module.state_dict())
    write_io(name, x.numpy(), y.numpy())
    MODELS.append((name, files, description))


def random_batch_norm(module):
    """Non-trivial running statistics and affine parameters, as after training."""
    for m in module.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.running_mean.copy_(torch.randn_like(m.running_mean) * 0.5)
            m.running_var.copy_(torch.rand_like(m.running_var) + 0.5)
            m.weight.copy_(torch.rand_like(m.weight) + 0.5)
            m.bias.copy_(torch.randn_like(m.bias) * 0.3)
            m.num_batches_tracked.fill_(100)
    for m in module.modules():
        if isinstance(m, nn.LayerNorm):
            m.weight.copy_(torch.rand_like(m.weight) + 0.5)
            m.bias.copy_(torch.randn_like(m.bias) * 0.3)


class CausalConv1d(nn.Module):
    """Causal by left padding: (kernel - 1) * dilation zeros before the sequence, none after."""

    def __init__(self, channels, filters, kernel, dilation):
        super().__init__()
        self.left = (kernel - 1) * dilation
        self.conv = nn.Conv1d(channels, filters, kernel, dilation=dilation)

    def forward(self, x):
        return torch.relu(self.conv(F.pad(x, (self.left, 0))))


class ViewFlatten(nn.Module):
    """The flatten CNN code writes by hand: x.view(x.size(0), -1), which torch exports from the run-time shape."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3)
        self.fc = nn.Linear(3 * 3 * 3, 2)

    def forward(self, x):
        x = torch.relu(self.conv(x))
        return self.fc(x.view(x.size(0), -1))


class Recurrent(nn.Module):
    """batch_first recurrent layer(s); the whole sequence, or the last step through a Linear head."""

    def __init__(self, kind, features, units, layers, last_step):
        super().__init__()
        self.rnn = kind(features, units, num_layers=layers, batch_first=True)
        self.head = nn.Linear(units, 2) if last_step else None

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.head(y[:, -1, :]) if self.head is not None else y


class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 4)
        self.fc2 = nn.Linear(4, 4)
        self.out = nn.Linear(4, 2)

    def forward(self, x):
        h = torch.relu(self.fc1(x))
        return self.out(torch.relu(self.fc2(h) + x))


class Concatenate(nn.Module):
    def __init__(self):
        super().__init__()
        self.left = nn.Linear(4, 3)
        self.right = nn.Linear(4, 2)
        self.out = nn.Linear(5, 2)

    def forward(self, x):
        return self.out(torch.cat([torch.tanh(self.left(x)), torch.relu(self.right(x))], dim=1))


class ResidualSkip(nn.Module):
    """A skip from a named block's output: out(tanh(fc2(h)) + h) with h = relu(fc1(x))."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 4)
        self.fc2 = nn.Linear(4, 4)
        self.out = nn.Linear(4, 2)

    def forward(self, x):
        h = torch.relu(self.fc1(x))
        return self.out(torch.tanh(self.fc2(h)) + h)


class ConcatInput(nn.Module):
    """A block's output with its input appended on the feature axis: out(cat([tanh(fc(x)), x]))."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)
        self.out = nn.Linear(7, 2)

    def forward(self, x):
        return self.out(torch.cat([torch.tanh(self.fc(x)), x], dim=1))


def build_torch_models():
    seed = iter(range(1000, 2000))
    S = nn.Sequential
    torch_model("mlp", next(seed), lambda: S(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 6), nn.Sigmoid(),
                                             nn.Linear(6, 3), nn.Softmax(dim=1)), (2, 4),
                "Linear/ReLU/Sigmoid/Softmax: Gemm with transB=1")
    torch_model("linear_nobias", next(seed), lambda: S(nn.Linear(5, 3, bias=False), nn.Tanh()), (2, 5),
                "Linear(bias=False): MatMul with the weight stored transposed [in, out]")
    torch_model("cnn", next(seed), lambda: S(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                             nn.Flatten(), nn.Linear(4 * 3 * 3, 5)), (2, 2, 6, 6),
                "Conv2d/MaxPool2d/Flatten/Linear: Flatten then Gemm over a channels-first tensor")
    torch_model("conv1d_valid", next(seed), lambda: S(nn.Conv1d(3, 4, 3, stride=2), nn.ReLU()), (2, 3, 9),
                "Conv1d, valid padding, stride 2")
    torch_model("conv1d_same", next(seed), lambda: S(nn.Conv1d(3, 4, 3, padding=1), nn.Tanh()), (2, 3, 8),
                "Conv1d, same padding as padding=1 (torch 1.13 cannot export padding='same')")
    torch_model("conv1d_causal", next(seed), lambda: CausalConv1d(2, 3, 3, dilation=2), (2, 2, 10),
                "Conv1d, causal by left padding (Pad node), dilation 2")
    torch_model("avgpool1d", next(seed), lambda: S(nn.Conv1d(2, 3, 2), nn.AvgPool1d(2)), (2, 2, 9),
                "AvgPool1d(2) after Conv1d")
    torch_model("avgpool2d", next(seed), lambda: S(nn.AvgPool2d(2, stride=1)), (2, 2, 4, 4),
                "AvgPool2d(2, stride=1): overlapping windows")
    torch_model("global_avgpool2d", next(seed), lambda: S(nn.Conv2d(2, 3, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                                                          nn.Flatten(), nn.Linear(3, 2)), (2, 2, 5, 5),
                "AdaptiveAvgPool2d(1): GlobalAveragePool, then Flatten/Gemm")
    torch_model("global_maxpool1d", next(seed), lambda: S(nn.Conv1d(2, 3, 3), nn.AdaptiveMaxPool1d(1),
                                                          nn.Flatten()), (2, 2, 7),
                "AdaptiveMaxPool1d(1): torch writes a MaxPool over the whole sequence, then Flatten")
    for kind, label in ((nn.RNN, "rnn"), (nn.GRU, "gru"), (nn.LSTM, "lstm")):
        torch_model(label + "_seq", next(seed), lambda kind=kind: Recurrent(kind, 3, 4, 1, False), (2, 5, 3),
                    f"{kind.__name__}, batch_first, one layer, every step returned")
        torch_model(label + "_last", next(seed), lambda kind=kind: Recurrent(kind, 3, 4, 2, True), (2, 5, 3),
                    f"{kind.__name__}, batch_first, two layers, last step into a Linear")
    torch_model("batchnorm1d", next(seed), lambda: S(nn.Linear(4, 5), nn.BatchNorm1d(5), nn.ReLU()), (3, 4),
                "Linear/BatchNorm1d/ReLU in eval mode", random_batch_norm)
    torch_model("batchnorm2d", next(seed), lambda: S(nn.Conv2d(2, 3, 3), nn.ReLU(), nn.BatchNorm2d(3)),
                (2, 2, 5, 5), "Conv2d/ReLU/BatchNorm2d in eval mode", random_batch_norm)
    torch_model("batchnorm2d_folded", next(seed), lambda: S(nn.Conv2d(2, 3, 3), nn.BatchNorm2d(3), nn.ReLU()),
                (2, 2, 5, 5), "Conv2d/BatchNorm2d/ReLU in eval mode: the exporter folds the BatchNorm into the Conv",
                random_batch_norm)
    torch_model("layernorm", next(seed), lambda: S(nn.Linear(4, 6), nn.LayerNorm(6), nn.ReLU()), (2, 4),
                "Linear/LayerNorm/ReLU: LayerNormalization at opset 17, its decomposition at opsets 11 and 13",
                random_batch_norm, extra_opsets=(13,))
    torch_model("residual", next(seed), Residual, (2, 4), "Linear/ReLU/Linear, Add of the block's input, ReLU")
    torch_model("concat", next(seed), Concatenate, (2, 4), "two Linear branches concatenated on the feature axis")
    activations = [
        ("relu6", nn.ReLU6(), "ReLU6: Clip(0, 6)"),
        ("hardsigmoid", nn.Hardsigmoid(), "Hardsigmoid: HardSigmoid alpha 1/6"),
        ("hardswish", nn.Hardswish(), "Hardswish"),
        ("mish", nn.Mish(), "Mish: x * tanh(softplus(x))"),
        ("selu", nn.SELU(), "SELU"),
        ("gelu_tanh", nn.GELU(approximate="tanh"), "GELU, tanh approximation"),
        ("gelu", nn.GELU(), "GELU, exact (erf)"),
        ("elu", nn.ELU(), "ELU alpha 1"),
        ("softplus", nn.Softplus(), "Softplus beta 1"),
        ("leakyrelu", nn.LeakyReLU(0.01), "LeakyReLU 0.01"),
    ]
    for label, activation, description in activations:
        torch_model("act_" + label, next(seed), lambda a=activation: S(nn.Linear(4, 5), a), (3, 4),
                    "Linear then " + description)
    torch_model("cnn_view", next(seed), ViewFlatten, (2, 2, 5, 5),
                "Conv2d/ReLU, x.view(x.size(0), -1), Linear: Shape/Gather/Unsqueeze/Concat build the Reshape's shape")
    torch_model("residual_skip", next(seed), ResidualSkip, (3, 4),
                "Linear/ReLU, Linear/Tanh, Add of the first block's output, Linear: a skip between layers")
    torch_model("concat_input", next(seed), ConcatInput, (3, 4),
                "Linear/Tanh with the input appended (Concat on the feature axis), Linear")
    torch_model("linear_batchnorm", next(seed), lambda: S(nn.Linear(4, 5), nn.BatchNorm1d(5), nn.Linear(5, 2)), (3, 4),
                "Linear/BatchNorm1d/Linear in eval mode", random_batch_norm)

    # Session 5: the import of the kinds added since (appended, so the seeds above stay).
    torch_model("seq_layernorm", next(seed), lambda: S(nn.Linear(3, 6), nn.LayerNorm(6), nn.Tanh()), (2, 5, 3),
                "Linear per step (MatMul+Add on [batch, steps, features]), LayerNorm over the features, Tanh",
                random_batch_norm, extra_opsets=(13,))
    torch_model("maxpool1d", next(seed), lambda: S(nn.Conv1d(2, 4, 3), nn.ReLU(), nn.MaxPool1d(2)), (2, 2, 11),
                "Conv1d/ReLU/MaxPool1d(2)")
    torch_model("avgpool2d_padded", next(seed), lambda: S(nn.AvgPool2d(2, padding=1)), (2, 2, 4, 4),
                "AvgPool2d(2, padding=1) counting the padding (count_include_pad=True): no layer of ours averages so")
    torch_model("global_mean", next(seed), GlobalMean, (2, 2, 5, 5),
                "Conv2d/ReLU, x.mean(dim=(2, 3)) (ReduceMean over height and width), Linear")
    torch_model("conv1d_nobias", next(seed), lambda: S(nn.Conv1d(3, 4, 3, bias=False), nn.ReLU()), (2, 3, 8),
                "Conv1d(bias=False): Conv without its B input")
    torch_model("conv2d_nobias", next(seed), lambda: S(nn.Conv2d(2, 3, 3, bias=False), nn.Tanh()), (2, 2, 5, 5),
                "Conv2d(bias=False): Conv without its B input")
    torch_model("residual_cnn", next(seed), ResidualCnn, (2, 2, 6, 6),
                "Conv2d/ReLU, Conv2d, Add of the first block's output, ReLU, AdaptiveAvgPool2d(1), Flatten, Linear")
    torch_model("conv1d_lstm", next(seed), Conv1dLstm, (2, 2, 7),
                "Conv1d/ReLU over [batch, channels, steps], permute to [batch, steps, channels], LSTM, last step, Linear")
    torch_model("conv1d_flatten", next(seed), lambda: S(nn.Conv1d(2, 3, 3), nn.Tanh(), nn.Flatten(), nn.Linear(3 * 6, 2)),
                (2, 2, 8), "Conv1d/Tanh, Flatten of the channels-first [batch, channels, steps], Linear")
    torch_model("conv1d_pool_flatten", next(seed),
                lambda: S(nn.Conv1d(2, 3, 3), nn.ReLU(), nn.MaxPool1d(2), nn.Dropout(0.5), nn.Flatten(), nn.Linear(3 * 3, 2)),
                (2, 2, 8), "Conv1d/ReLU/MaxPool1d/Dropout, Flatten of the channels-first [batch, channels, steps], Linear")
    torch_model("seq_linear_flatten", next(seed), lambda: S(nn.Linear(2, 3), nn.Tanh(), nn.Flatten(), nn.Linear(3 * 5, 2)),
                (2, 5, 2), "Linear per step over [batch, steps, features], Flatten of that channels-last sequence, Linear")
    # Layers without bias (seeded apart from the sequence above, so adding them changed no other file).
    torch_model("conv2d_nobias_bn", 2001,
                lambda: S(nn.Conv2d(2, 4, 3, bias=False), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 3 * 3, 2)),
                (2, 2, 5, 5), "Conv2d(bias=False)/BatchNorm2d/ReLU as in ResNets, Flatten, Linear: the exporter folds the BatchNorm "
                "into the Conv, giving it a bias", random_batch_norm)
    torch_model("seq_linear_nobias", 2002, lambda: S(nn.Linear(3, 4, bias=False), nn.Tanh()), (2, 5, 3),
                "Linear(bias=False) per step over [batch, steps, features]: MatMul without Add")


class GlobalMean(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3)
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x)).mean(dim=(2, 3)))


class ResidualCnn(nn.Module):
    """A skip between images: fc(pool(relu(conv2(h) + h))) with h = relu(conv1(x))."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(2, 3, 3, padding=1)
        self.conv2 = nn.Conv2d(3, 3, 3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        h = torch.relu(self.conv1(x))
        return self.fc(torch.flatten(self.pool(torch.relu(self.conv2(h) + h)), 1))


class Conv1dLstm(nn.Module):
    """Conv1d features into an LSTM: the channels-first sequence is permuted to batch-first steps."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(2, 4, 3, padding=1)
        self.lstm = nn.LSTM(4, 5, batch_first=True)
        self.head = nn.Linear(5, 2)

    def forward(self, x):
        y, _ = self.lstm(torch.relu(self.conv(x)).permute(0, 2, 1))
        return self.head(y[:, -1, :])


# ---------------------------------------------------------------- onnx.helper models

def helper_model(name, nodes, inputs, outputs, initializers, x, y, description):
    graph = helper.make_graph(nodes, name, inputs, outputs, [numpy_helper.from_array(v, k)
                                                               for k, v in initializers.items()])
    model = helper.make_model(graph, producer_name="onnx.helper", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    save_onnx(model, name + ".onnx")
    write_io(name, x, y)
    MODELS.append((name, [(name + ".onnx", "onnx.helper", 13, op_types(model))], description))


def build_helper_models():
    rng = np.random.default_rng(7)

    def r(*shape):
        return rng.standard_normal(shape).astype(np.float32)

    # Keras' Dense as tf2onnx writes it: MatMul by a kernel stored [in, out], then Add of the bias.
    w1, b1, w2, b2 = r(4, 6), r(6), r(6, 3), r(3)
    x = r(2, 4)
    h = np.maximum(x @ w1 + b1, 0)
    logits = h @ w2 + b2
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    y = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    helper_model("keras_dense", [
        helper.make_node("MatMul", ["input", "dense/kernel"], ["dense/MatMul"], name="dense/MatMul"),
        helper.make_node("Add", ["dense/MatMul", "dense/bias"], ["dense/BiasAdd"], name="dense/BiasAdd"),
        helper.make_node("Relu", ["dense/BiasAdd"], ["dense/Relu"], name="dense/Relu"),
        helper.make_node("MatMul", ["dense/Relu", "dense_1/kernel"], ["dense_1/MatMul"], name="dense_1/MatMul"),
        helper.make_node("Add", ["dense_1/MatMul", "dense_1/bias"], ["dense_1/BiasAdd"], name="dense_1/BiasAdd"),
        helper.make_node("Softmax", ["dense_1/BiasAdd"], ["output"], name="dense_1/Softmax", axis=-1),
    ], [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["unk__0", 4])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["unk__0", 3])],
        {"dense/kernel": w1, "dense/bias": b1, "dense_1/kernel": w2, "dense_1/bias": b2}, x, y,
        "Keras-style Dense as tf2onnx writes it: MatMul by kernel [in, out], Add of the bias, Relu, Softmax")

    # A channels-last Keras CNN as tf2onnx writes it: Transpose to NCHW around the Conv, back to NHWC, Reshape
    # to flatten in channels-last order, MatMul+Add.
    kernel, bias, dense_w, dense_b = r(3, 2, 3, 3), r(3), r(4 * 4 * 3, 2), r(2)
    x = r(2, 6, 6, 2)
    with torch.no_grad():
        conv = F.relu(F.conv2d(torch.from_numpy(x).permute(0, 3, 1, 2), torch.from_numpy(kernel),
                               torch.from_numpy(bias)))
        flat = conv.permute(0, 2, 3, 1).reshape(2, -1)
        y = (flat @ torch.from_numpy(dense_w) + torch.from_numpy(dense_b)).numpy()
    helper_model("tf2onnx_conv", [
        helper.make_node("Transpose", ["input"], ["conv2d/input_nchw"], name="conv2d/Transpose", perm=[0, 3, 1, 2]),
        helper.make_node("Conv", ["conv2d/input_nchw", "conv2d/kernel", "conv2d/bias"], ["conv2d/Conv"],
                         name="conv2d/Conv", kernel_shape=[3, 3], strides=[1, 1], dilations=[1, 1],
                         pads=[0, 0, 0, 0]),
        helper.make_node("Relu", ["conv2d/Conv"], ["conv2d/Relu"], name="conv2d/Relu"),
        helper.make_node("Transpose", ["conv2d/Relu"], ["conv2d/output_nhwc"], name="conv2d/Transpose_1",
                         perm=[0, 2, 3, 1]),
        helper.make_node("Reshape", ["conv2d/output_nhwc", "flatten/shape"], ["flatten/Reshape"],
                         name="flatten/Reshape"),
        helper.make_node("MatMul", ["flatten/Reshape", "dense/kernel"], ["dense/MatMul"], name="dense/MatMul"),
        helper.make_node("Add", ["dense/MatMul", "dense/bias"], ["output"], name="dense/BiasAdd"),
    ], [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["unk__0", 6, 6, 2])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["unk__0", 2])],
        {"conv2d/kernel": kernel, "conv2d/bias": bias, "flatten/shape": np.array([-1, 48], dtype=np.int64),
         "dense/kernel": dense_w, "dense/bias": dense_b}, x, y,
        "tf2onnx-like channels-last CNN: Transpose/Conv/Relu/Transpose, Reshape, MatMul+Add")

    # A Keras LSTM(return_sequences=False) as tf2onnx writes it: Transpose to time-major, LSTM reading no initial
    # state and giving only Y_h, Squeeze of the directions axis, then Dense as MatMul+Add. ONNX's gate order is
    # i, o, f, c; the expected output comes from torch's LSTM (gates i, f, g, o) with the blocks reordered.
    units, features, steps = 4, 3, 5
    lstm_w, lstm_r, lstm_b = r(1, 4 * units, features) * 0.5, r(1, 4 * units, units) * 0.5, r(1, 8 * units) * 0.5
    dense_w, dense_b = r(units, 2), r(2)
    x = r(2, steps, features)
    order = [0, 2, 3, 1]  # torch's i, f, g, o blocks taken from ONNX's i, o, f, c

    def torch_blocks(m):
        return torch.from_numpy(np.concatenate([m[k * units:(k + 1) * units] for k in order]))

    lstm = nn.LSTM(features, units, batch_first=True)
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch_blocks(lstm_w[0]))
        lstm.weight_hh_l0.copy_(torch_blocks(lstm_r[0]))
        lstm.bias_ih_l0.copy_(torch_blocks(lstm_b[0, :4 * units]))
        lstm.bias_hh_l0.copy_(torch_blocks(lstm_b[0, 4 * units:]))
        _, (h, _) = lstm(torch.from_numpy(x))
        y = (h[0] @ torch.from_numpy(dense_w) + torch.from_numpy(dense_b)).numpy()
    helper_model("tf2onnx_lstm", [
        helper.make_node("Transpose", ["input"], ["lstm/time_major"], name="lstm/Transpose", perm=[1, 0, 2]),
        helper.make_node("LSTM", ["lstm/time_major", "lstm/W", "lstm/R", "lstm/B"], ["", "lstm/Y_h"], name="lstm/LSTM",
                         hidden_size=units, direction="forward"),
        helper.make_node("Squeeze", ["lstm/Y_h", "lstm/squeeze_axes"], ["lstm/last"], name="lstm/Squeeze"),
        helper.make_node("MatMul", ["lstm/last", "dense/kernel"], ["dense/MatMul"], name="dense/MatMul"),
        helper.make_node("Add", ["dense/MatMul", "dense/bias"], ["output"], name="dense/BiasAdd"),
    ], [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["unk__0", steps, features])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["unk__0", 2])],
        {"lstm/W": lstm_w, "lstm/R": lstm_r, "lstm/B": lstm_b, "lstm/squeeze_axes": np.array([0], dtype=np.int64),
         "dense/kernel": dense_w, "dense/bias": dense_b}, x, y,
        "Keras LSTM(return_sequences=False) as tf2onnx writes it: Transpose, LSTM giving Y_h only, Squeeze, MatMul+Add")


# ---------------------------------------------------------------- README.md

def write_readme():
    lines = [
        "# ONNX reference models",
        "",
        "Written by `make_models.py` (run it with Debian's `/usr/bin/python3` from this folder; it needs",
        f"`python3-torch` and `python3-onnx`: torch {torch.__version__}, onnx {onnx.__version__} wrote these files).",
        "Everything is seeded, so a rerun writes the same files. The tests read them and never need Python.",
        "",
        "Per model `NAME`: `NAME.onnx` (opset 17, or the opset given), `NAME.opset11.onnx` where opset 11 exports a",
        "different graph, `NAME.safetensors` (the PyTorch `state_dict`, torch models only), `NAME.io.json` (a seeded",
        "input and PyTorch's output for it, float32 values flattened row-major; ONNX's channels-first layout) and",
        "`<file>.graph.json` for each .onnx file (opsets, inputs and outputs, nodes with attributes, initializers with",
        "shapes and two checksums: the sum and the sum of (index + 1) * value, in double).",
        "",
        "torch exports with `input_names=['input']`, `output_names=['output']`, a dynamic batch axis and constant",
        "folding on, as users usually call it; models are in `eval()` mode.",
        "",
        "| file | exporter | opset | model | operators (graph order) |",
        "|---|---|---|---|---|",
    ]
    for name, files, description in MODELS:
        for file_name, exporter, opset, ops in files:
            lines.append(f"| `{file_name}` | {exporter} | {opset} | {description} | {' '.join(ops)} |")
    with open(os.path.join(HERE, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    torch.set_num_threads(1)
    build_torch_models()
    build_helper_models()
    write_readme()
